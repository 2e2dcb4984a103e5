package io.lossprism.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * How the tests of LossPrism's custom layers compare one to DL4J's own: one layer's forward and backward
 * pass, arrays equal within a share of their largest magnitude, and a save and restore.
 */
public final class LayerComparison {

    private LayerComparison() {}

    /**
     * Output, gradient of the input, of the weights and of the bias (null without) of one layer; the
     * convolution family's parameter keys.
     */
    public record Pass(INDArray output, INDArray inputGradient, INDArray weightGradient, INDArray biasGradient) {

        /** The named layer of {@code graph}, forward in training mode then backward, without workspaces. */
        public static Pass of(ComputationGraph graph, String layerName, INDArray input, INDArray outputGradient) {
            Layer layer = graph.getLayer(layerName);
            INDArray output = layer.activate(input, true, LayerWorkspaceMgr.noWorkspaces())
                    .dup();
            Pair<Gradient, INDArray> backward =
                    layer.backpropGradient(outputGradient, LayerWorkspaceMgr.noWorkspaces());
            Gradient gradient = backward.getFirst();
            INDArray bias = gradient.getGradientFor(ConvolutionParamInitializer.BIAS_KEY);
            return new Pass(
                    output,
                    backward.getSecond().dup(),
                    gradient.getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY)
                            .dup(),
                    bias == null ? null : bias.dup());
        }
    }

    /**
     * Same shape, not all zero, and no element further from {@code expected} than {@code relativeTolerance}
     * times its largest magnitude.
     */
    public static void assertClose(String what, INDArray actual, INDArray expected, double relativeTolerance) {
        assertThat(actual.shape()).as(what).containsExactly(expected.shape());
        double scale = expected.amaxNumber().doubleValue();
        double difference = actual.castTo(DataType.DOUBLE)
                .sub(expected.castTo(DataType.DOUBLE))
                .amaxNumber()
                .doubleValue();
        assertThat(scale).as(what + " is not all zero").isGreaterThan(0);
        assertThat(difference)
                .as(what + ": largest difference, largest magnitude " + scale)
                .isLessThanOrEqualTo(relativeTolerance * scale);
    }

    /**
     * A graph of one layer named {@code name} on a convolutional NCHW input of that size, under an MSE
     * loss: float32, no parameter updates, ReLU initialisation, gradient views ready.
     */
    public static ComputationGraph oneLayer(
            String name, org.deeplearning4j.nn.conf.layers.Layer layer, int height, int width, int channels) {
        var conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .seed(11)
                .updater(new NoOp())
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(height, width, channels, CNN2DFormat.NCHW))
                .addLayer(name, layer, "in")
                .addLayer(
                        "out",
                        new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                                .activation(Activation.IDENTITY)
                                .build(),
                        name)
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.initGradientsView();
        return graph;
    }

    /** {@code graph} saved with its updater and restored, in memory. */
    public static ComputationGraph roundTrip(ComputationGraph graph) throws IOException {
        var bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);
        return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
    }
}
