package io.lossprism.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.testing.DoubleGradientCheck;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The bilinear layer on a case worked out by hand, forward and backward. */
class BilinearUpsampling2DIT {

    private static ComputationGraph graph() {
        var conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(2, 2, 1, CNN2DFormat.NCHW))
                .addLayer("up", new BilinearUpsampling2D(), "in")
                .addLayer(
                        "out",
                        new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "up")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /**
     * [[0, 4], [8, 12]]: along the width each row becomes [x0, .75x0 + .25x1, .25x0 + .75x1, x1], then
     * the same along the height (edges repeat, so the outer rows and columns copy the input's).
     */
    @Test
    void doublesBothSidesWithHalfPixelCentres() {
        INDArray input = Nd4j.create(new double[] {0, 4, 8, 12}, new long[] {1, 1, 2, 2});

        INDArray output = graph().outputSingle(input);

        assertThat(output.shape()).containsExactly(1, 1, 4, 4);
        assertThat(output.data().asDouble()).containsExactly(0, 1, 3, 4, 2, 3, 5, 6, 6, 7, 9, 10, 8, 9, 11, 12);
    }

    /**
     * Backpropagation through the layer agrees with finite differences (DL4J's gradient check, double
     * precision) for the parameters of convolutions before and after it.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        var conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(3)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(3, 3, 2, CNN2DFormat.NCHW))
                .addLayer(
                        "before",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(2)
                                .activation(Activation.TANH)
                                .build(),
                        "in")
                .addLayer("up", new BilinearUpsampling2D(), "before")
                .addLayer(
                        "after",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(2)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "up")
                .addLayer(
                        "out",
                        new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT)
                                .activation(Activation.SIGMOID)
                                .build(),
                        "after")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 3);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 6).gt(0.5).castTo(DataType.DOUBLE);

        assertThat(DoubleGradientCheck.passes(graph, input, labels)).isTrue();
    }
}
