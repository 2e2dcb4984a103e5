package io.lossprism.training;

import io.lossprism.config.ConfigLoader;
import io.lossprism.config.ModelConfig;
import io.lossprism.config.TrainingConfig;
import io.lossprism.model.BilinearUpsampling2D;
import io.lossprism.model.Convolution2D;
import io.lossprism.model.TransposedConvolution2D;
import io.lossprism.training.losses.Losses;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * LossPrism's U-Net, shaped by {@link ModelConfig}. With the defaults it is the network of the seed
 * question: input scaled by 1/255, four encoder levels of two 3x3 ReLU convolutions (8, 16, 32, 64
 * filters) each followed by 2x2 max pooling, a 128-filter bottleneck pair, four decoder levels of a 2x2
 * stride-2 transposed convolution concatenated with the matching encoder output and two 3x3
 * convolutions, then a 1x1 convolution to one sigmoid output per class, trained with the
 * configured loss (binary cross-entropy by default; see {@link Losses}); 485,853 parameters for 5 classes.
 *
 * <p>{@code depth} sets the number of poolings, {@code baseFilters} the first level's filters (doubling
 * per level, the bottleneck has {@code baseFilters * 2^depth}); {@code batchNorm} puts batch
 * normalisation between each 3x3 convolution (then without bias) and its ReLU; {@code dropout} adds a
 * dropout layer after the bottleneck; {@code upsampling: bilinear} replaces each transposed convolution by
 * bilinear upsampling and a 3x3 linear convolution. NCHW throughout (NHWC with the oneDNN helpers
 * crashes M2.1). The convolutions are {@link Convolution2D}s and the transposed ones {@link
 * TransposedConvolution2D}s: DL4J's layers, without the second forward pass in their backward pass.
 */
public final class UNet {

    public static final String INPUT = "image";
    /** The 1x1 convolution: pre-sigmoid scores, the vertex whose activations the listener captures. */
    public static final String LOGITS = "logits";

    public static final String OUTPUT = "output";
    /** First convolution, used to check which helper serves the convolutions. */
    public static final String FIRST_CONV = "enc1_conv1";

    public static final int INPUT_CHANNELS = 3;
    /** DL4J's default probability clip, stated so that {@code Convention.DL4J} visibly matches it. */
    public static final double BCE_EPSILON = LossBinaryXENT.DEFAULT_CLIPPING_EPSILON;

    /**
     * The transposed convolutions' mode. With kernel = stride (2x2, stride 2) Same and Truncate agree
     * exactly: output 2n, no padding, no overlapping windows. libnd4j runs {@code deconv2d} and
     * {@code deconv2d_bp} on oneDNN only without Same mode (its platform check), else im2col + sgemm +
     * col2im, which was more than half of the op time of a step. Without oneDNN both modes take that path.
     */
    static final ConvolutionMode TRANSPOSED_MODE = ConvolutionMode.Truncate;

    private UNet() {}

    /** The seed's network: the default {@link ModelConfig}. */
    public static ComputationGraph build(TrainingConfig config) {
        return build(config, ConfigLoader.defaults().model());
    }

    public static ComputationGraph build(TrainingConfig config, ModelConfig model) {
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(config))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(
                        config.imageSize(), config.imageSize(), INPUT_CHANNELS, CNN2DFormat.NCHW))
                .addVertex("scaled", new ScaleVertex(1.0 / 255), INPUT);

        Levels levels = new Levels(graph, model.batchNorm());
        String previous = "scaled";
        String[] skips = new String[model.depth()];
        for (int level = 0; level < model.depth(); level++) {
            String name = "enc" + (level + 1);
            skips[level] = levels.convPair(name, filters(model, level), previous);
            previous = name + "_pool";
            graph.addLayer(
                    previous,
                    new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                            .kernelSize(2, 2)
                            .stride(2, 2)
                            .build(),
                    skips[level]);
        }
        previous = levels.convPair("bottleneck", filters(model, model.depth()), previous);
        if (model.dropout() > 0) {
            // DL4J's dropout argument is the probability of keeping an activation
            graph.addLayer("bottleneck_dropout", new DropoutLayer(new Dropout(1 - model.dropout())), previous);
            previous = "bottleneck_dropout";
        }
        for (int level = model.depth() - 1; level >= 0; level--) {
            String name = "dec" + (level + 1);
            int filters = filters(model, level);
            String up = upsample(graph, model, name, filters, previous);
            graph.addVertex(name + "_concat", new MergeVertex(), up, skips[level]);
            previous = levels.convPair(name, filters, name + "_concat");
        }
        graph.addLayer(
                LOGITS,
                new Convolution2D(new ConvolutionLayer.Builder(1, 1)
                        .nOut(config.classCount())
                        .activation(Activation.IDENTITY)),
                previous);
        graph.addLayer(OUTPUT, outputLayer(config), LOGITS);
        graph.setOutputs(OUTPUT);

        ComputationGraph network = new ComputationGraph(graph.build());
        network.init();
        return network;
    }

    /**
     * The loss layer on top of {@link #LOGITS}: sigmoid outputs, binary cross-entropy. An imported Keras
     * network gets the same one on top of its logits.
     */
    static CnnLossLayer outputLayer(TrainingConfig config) {
        ILossFunction loss = Losses.forDl4j(Losses.objective(config), config.imageSize() * config.imageSize());
        return new CnnLossLayer.Builder(loss)
                .activation(Activation.SIGMOID)
                .format(CNN2DFormat.NCHW)
                .build();
    }

    /** Filters of encoder level {@code level} (0-based); level {@code depth} is the bottleneck. */
    static int filters(ModelConfig model, int level) {
        return model.baseFilters() << level;
    }

    /** Doubles the size and brings the channels to {@code filters}; returns the vertex to concatenate. */
    private static String upsample(GraphBuilder graph, ModelConfig model, String name, int filters, String input) {
        if (!model.bilinear()) {
            graph.addLayer(
                    name + "_up",
                    new TransposedConvolution2D(new Deconvolution2D.Builder(2, 2)
                            .stride(2, 2)
                            .convolutionMode(TRANSPOSED_MODE)
                            .nOut(filters)
                            .activation(Activation.IDENTITY)),
                    input);
            return name + "_up";
        }
        graph.addLayer(name + "_up", new BilinearUpsampling2D(), input);
        graph.addLayer(
                name + "_upconv",
                new Convolution2D(
                        new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.IDENTITY)),
                name + "_up");
        return name + "_upconv";
    }

    /**
     * Adds the pairs of 3x3 convolutions, with or without batch normalisation: {@link Convolution2D}s, DL4J's
     * convolution without the second forward pass in the backward pass.
     */
    private record Levels(GraphBuilder graph, boolean batchNorm) {

        /** Two 3x3 ReLU convolutions named {@code name_conv1}, {@code name_conv2}; returns the last vertex. */
        String convPair(String name, int filters, String input) {
            String first = conv3x3(name + "_conv1", filters, input);
            return conv3x3(name + "_conv2", filters, first);
        }

        private String conv3x3(String name, int filters, String input) {
            if (!batchNorm) {
                graph.addLayer(
                        name,
                        new Convolution2D(
                                new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU)),
                        input);
                return name;
            }
            // the normalisation's shift makes a bias redundant
            graph.addLayer(
                    name,
                    new Convolution2D(new ConvolutionLayer.Builder(3, 3)
                            .nOut(filters)
                            .hasBias(false)
                            .activation(Activation.IDENTITY)),
                    input);
            graph.addLayer(
                    name + "_bn", new BatchNormalization.Builder().nOut(filters).build(), name);
            graph.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name + "_bn");
            return name + "_relu";
        }
    }

    public static double[] classWeights(TrainingConfig config) {
        return config.classWeights().stream().mapToDouble(Double::doubleValue).toArray();
    }

    static IUpdater updater(TrainingConfig config) {
        double lr = config.learningRate();
        return switch (config.optimizer()) {
            case ADAM -> new Adam(lr);
            case SGD -> new Sgd(lr);
            case NESTEROVS -> new Nesterovs(lr, 0.9);
            case RMSPROP -> new RmsProp(lr);
        };
    }
}
