package io.lossprism.training;

import io.lossprism.config.TrainingConfig;
import io.lossprism.training.losses.Losses;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
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
 * The U-Net of the seed question: input scaled by 1/255, four encoder levels of two 3x3 ReLU
 * convolutions (8, 16, 32, 64 filters) each followed by 2x2 max pooling, a 128-filter bottleneck pair,
 * four decoder levels of a 2x2 stride-2 transposed convolution concatenated with the matching encoder
 * output and two 3x3 convolutions, then a 1x1 convolution to one sigmoid output per class, trained with
 * the configured loss (binary cross-entropy by default; see {@link Losses}). NCHW throughout (NHWC with
 * the oneDNN helpers crashes M2.1).
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

    private static final int[] ENCODER_FILTERS = {8, 16, 32, 64};
    private static final int BOTTLENECK_FILTERS = 128;

    private UNet() {
    }

    public static ComputationGraph build(TrainingConfig config) {
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(config))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(config.imageSize(), config.imageSize(),
                        INPUT_CHANNELS, CNN2DFormat.NCHW))
                .addVertex("scaled", new ScaleVertex(1.0 / 255), INPUT);

        String previous = "scaled";
        String[] skips = new String[ENCODER_FILTERS.length];
        for (int level = 0; level < ENCODER_FILTERS.length; level++) {
            String name = "enc" + (level + 1);
            skips[level] = convPair(graph, name, ENCODER_FILTERS[level], previous);
            previous = name + "_pool";
            graph.addLayer(previous, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(2, 2).stride(2, 2).build(), skips[level]);
        }
        previous = convPair(graph, "bottleneck", BOTTLENECK_FILTERS, previous);
        for (int level = ENCODER_FILTERS.length - 1; level >= 0; level--) {
            String name = "dec" + (level + 1);
            int filters = ENCODER_FILTERS[level];
            graph.addLayer(name + "_up", new Deconvolution2D.Builder(2, 2).stride(2, 2).nOut(filters)
                    .activation(Activation.IDENTITY).build(), previous);
            graph.addVertex(name + "_concat", new MergeVertex(), name + "_up", skips[level]);
            previous = convPair(graph, name, filters, name + "_concat");
        }
        graph.addLayer(LOGITS, new ConvolutionLayer.Builder(1, 1).nOut(config.classCount())
                .activation(Activation.IDENTITY).build(), previous);
        ILossFunction loss = Losses.forDl4j(Losses.objective(config), config.imageSize() * config.imageSize());
        graph.addLayer(OUTPUT, new CnnLossLayer.Builder(loss).activation(Activation.SIGMOID)
                .format(CNN2DFormat.NCHW).build(), LOGITS);
        graph.setOutputs(OUTPUT);

        ComputationGraph network = new ComputationGraph(graph.build());
        network.init();
        return network;
    }

    private static String convPair(GraphBuilder graph, String name, int filters, String input) {
        graph.addLayer(name + "_conv1", conv3x3(filters), input);
        graph.addLayer(name + "_conv2", conv3x3(filters), name + "_conv1");
        return name + "_conv2";
    }

    private static ConvolutionLayer conv3x3(int filters) {
        return new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU).build();
    }

    private static IUpdater updater(TrainingConfig config) {
        double lr = config.learningRate();
        return switch (config.optimizer()) {
            case ADAM -> new Adam(lr);
            case SGD -> new Sgd(lr);
            case NESTEROVS -> new Nesterovs(lr, 0.9);
            case RMSPROP -> new RmsProp(lr);
        };
    }
}
