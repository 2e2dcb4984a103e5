package io.lossprism.model;

import io.lossprism.loss.LossSpec;
import io.lossprism.objective.Objective;
import io.lossprism.objective.ObjectiveLoss;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * What a network must be for LossPrism to train it and decompose its loss: one input taking
 * {@code [N, channels, S, S]}, one output giving {@code [N, C, S, S]} (C = the number of classes) from a
 * per-pixel loss layer whose loss the decomposition understands, fed by one vertex (the logits).
 * Checked the same way for every source, with one forward pass of a blank image, so that a network
 * that does not fit stops start-up with one line saying why.
 */
public final class OutputContract {

    private OutputContract() {}

    public static Network inspect(
            ComputationGraph graph, int imageSize, int channels, int classes, ModelSource source) {
        String origin = source.origin();
        ComputationGraphConfiguration conf = graph.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw fail(
                    origin,
                    "takes " + conf.getNetworkInputs().size() + " inputs " + conf.getNetworkInputs()
                            + "; LossPrism feeds one batch of images");
        }
        if (conf.getNetworkOutputs().size() != 1) {
            throw fail(
                    origin,
                    "has " + conf.getNetworkOutputs().size() + " outputs " + conf.getNetworkOutputs()
                            + "; LossPrism trains one per-pixel output");
        }
        String output = conf.getNetworkOutputs().get(0);
        Objective loss = objective(layerOf(conf, output, origin), output, classes, origin);
        List<String> feeding = conf.getVertexInputs().get(output);
        if (feeding == null || feeding.size() != 1) {
            throw fail(origin, "its output layer '" + output + "' takes " + feeding + "; LossPrism needs one input");
        }
        String logits = feeding.get(0);

        long[] expected = {1, classes, imageSize, imageSize};
        Map<String, INDArray> activations;
        try {
            activations = graph.feedForward(Nd4j.zeros(DataType.FLOAT, 1, channels, imageSize, imageSize), false);
        } catch (RuntimeException e) {
            throw fail(
                    origin,
                    "does not take images of shape [N, " + channels + ", " + imageSize + ", " + imageSize
                            + "] (NCHW, training.imageSize " + imageSize + "): " + firstLine(e));
        }
        for (String vertex : List.of(logits, output)) {
            long[] shape = activations.get(vertex).shape();
            if (!Arrays.equals(shape, expected)) {
                throw fail(
                        origin,
                        "gives " + Arrays.toString(shape).replace("1, ", "N, ") + " at '" + vertex
                                + "'; LossPrism needs [N, " + classes + ", " + imageSize + ", " + imageSize
                                + "] (NCHW, one channel per class of training.classes)");
            }
        }
        long[] in = {-1, channels, imageSize, imageSize};
        long[] out = {-1, classes, imageSize, imageSize};
        ModelSummary summary =
                new ModelSummary(source.describe(), graph.getLayers().length, graph.numParams(), in, out);
        return new Network(graph, logits, loss, summary);
    }

    /**
     * The loss an output layer computes, in the decomposition's terms, or why it has none: sigmoid with
     * DL4J's binary cross-entropy, or with one of LossPrism's losses ({@link ObjectiveLoss}).
     */
    static Objective objective(Layer layer, String name, int classes, String origin) {
        if (!(layer instanceof CnnLossLayer lossLayer)) {
            throw fail(
                    origin,
                    "its output layer '" + name + "' is a " + layer.getClass().getSimpleName()
                            + "; LossPrism needs a per-pixel loss layer (CnnLossLayer) with sigmoid and binary cross-entropy");
        }
        if (lossLayer.getFormat() != CNN2DFormat.NCHW) {
            throw fail(
                    origin,
                    "its output layer '" + name + "' is " + lossLayer.getFormat()
                            + "; LossPrism trains NCHW networks (NHWC crashes the oneDNN helpers of this DL4J)");
        }
        IActivation activation = lossLayer.getActivationFn();
        ILossFunction function = lossLayer.getLossFn();
        if (function instanceof ObjectiveLoss own && activation instanceof ActivationSigmoid) {
            return own.objective(classes);
        }
        if (function instanceof LossBinaryXENT bce && activation instanceof ActivationSigmoid) {
            if (bce.getClipEps() != LossBinaryXENT.DEFAULT_CLIPPING_EPSILON) {
                throw fail(
                        origin,
                        "its binary cross-entropy clips probabilities at " + bce.getClipEps()
                                + "; the decomposition follows DL4J's default clip, "
                                + LossBinaryXENT.DEFAULT_CLIPPING_EPSILON);
            }
            return Objective.bce(weights(bce, classes, name, origin));
        }
        throw fail(
                origin,
                "its output layer '" + name + "' computes "
                        + function.getClass().getSimpleName()
                        + " after " + activation.getClass().getSimpleName()
                        + "; LossPrism decomposes sigmoid with binary"
                        + " cross-entropy (ActivationSigmoid, LossBinaryXENT)");
    }

    private static double[] weights(LossBinaryXENT bce, int classes, String name, String origin) {
        if (bce.getWeights() == null) {
            return LossSpec.ones(classes);
        }
        double[] weights = bce.getWeights().toDoubleVector();
        if (weights.length != classes) {
            throw fail(
                    origin,
                    "its output layer '" + name + "' weighs " + weights.length + " classes; "
                            + "training.classes names " + classes);
        }
        return weights;
    }

    private static Layer layerOf(ComputationGraphConfiguration conf, String name, String origin) {
        GraphVertex vertex = conf.getVertices().get(name);
        if (vertex instanceof LayerVertex layer) {
            return layer.getLayerConf().getLayer();
        }
        throw fail(
                origin, "its output '" + name + "' is a " + vertex.getClass().getSimpleName() + ", not a loss layer");
    }

    static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip().lines().findFirst().orElse(message);
    }

    private static ModelException fail(String origin, String what) {
        return new ModelException(origin + ": " + what);
    }
}
