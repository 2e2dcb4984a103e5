package io.lossprism.training;

import static io.lossprism.testing.LayerComparison.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.model.TransposedConvolution2D;
import io.lossprism.testing.DoubleGradientCheck;
import io.lossprism.testing.LayerComparison;
import io.lossprism.testing.LayerComparison.Pass;
import java.io.IOException;
import java.util.List;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The U-Net's 2x2 stride-2 transposed convolutions ({@link TransposedConvolution2D} in Truncate mode, which
 * oneDNN computes, called directly, with no second forward pass in the backward pass) compute what DL4J's
 * {@link Deconvolution2D} in Same mode (im2col + sgemm) computes, in float32, forward and backward; the
 * gradient is right (finite differences, double precision); the U-Net saves and restores with the layer,
 * and networks saved with Same-mode Deconvolution2D layers (checkpoints of earlier versions) still load
 * and compute the same.
 *
 * <p>Tolerance: float32 sums in a different order (oneDNN's blocked kernels against im2col + sgemm), so
 * every element must agree within 1e-5 of the largest magnitude of its array (float32's epsilon is 1.2e-7;
 * the sums here have 16 to a few thousand terms).
 */
class TransposedConvolutionIT {

    private static final double RELATIVE_TOLERANCE = 1e-5;

    /** The U-Net's layer, or with {@code reference} DL4J's Deconvolution2D in Same mode (earlier versions). */
    private static ComputationGraph upsampler(boolean reference, int channels, int height, int width) {
        var builder = new Deconvolution2D.Builder(2, 2)
                .stride(2, 2)
                .convolutionMode(reference ? ConvolutionMode.Same : UNet.TRANSPOSED_MODE)
                .nOut(8)
                .activation(Activation.IDENTITY);
        return LayerComparison.oneLayer(
                "up", reference ? builder.build() : new TransposedConvolution2D(builder), height, width, channels);
    }

    @Test
    void equalsDeconvolution2DInSameModeInFloat32() {
        ComputationGraph same = upsampler(true, 16, 12, 10);
        ComputationGraph truncate = upsampler(false, 16, 12, 10);
        Nd4j.getRandom().setSeed(42);
        same.setParams(Nd4j.randn(DataType.FLOAT, 1, same.numParams()));
        truncate.setParams(same.params().dup());
        INDArray input = Nd4j.randn(DataType.FLOAT, 4, 16, 12, 10);
        INDArray outputGradient = Nd4j.randn(DataType.FLOAT, 4, 8, 24, 20);

        Pass reference = Pass.of(same, "up", input, outputGradient);
        Pass oneDnn = Pass.of(truncate, "up", input, outputGradient);

        assertThat(oneDnn.output().shape()).containsExactly(4, 8, 24, 20);
        assertClose("output", oneDnn.output(), reference.output());
        assertClose("input gradient", oneDnn.inputGradient(), reference.inputGradient());
        assertClose("weight gradient", oneDnn.weightGradient(), reference.weightGradient());
        assertClose("bias gradient", oneDnn.biasGradient(), reference.biasGradient());
    }

    /** Same number and layout of parameters, same initial values as Deconvolution2D in Same mode. */
    @Test
    void parametersAndInitialisationAreDeconvolution2Ds() {
        ComputationGraph same = upsampler(true, 16, 12, 10);
        ComputationGraph truncate = upsampler(false, 16, 12, 10);

        assertThat(truncate.paramTable().get("up_W").shape()).containsExactly(16, 8, 2, 2);
        assertThat(truncate.params().data().asFloat())
                .containsExactly(same.params().data().asFloat());
    }

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
                .setInputTypes(InputType.convolutional(3, 4, 2, CNN2DFormat.NCHW))
                .addLayer(
                        "before",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(3)
                                .activation(Activation.TANH)
                                .build(),
                        "in")
                .addLayer(
                        "up",
                        new TransposedConvolution2D(new Deconvolution2D.Builder(2, 2)
                                .stride(2, 2)
                                .convolutionMode(UNet.TRANSPOSED_MODE)
                                .nOut(2)
                                .activation(Activation.IDENTITY)),
                        "before")
                .addLayer(
                        "out",
                        new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT)
                                .activation(Activation.SIGMOID)
                                .build(),
                        "up")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 4);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 8).gt(0.5).castTo(DataType.DOUBLE);

        assertThat(DoubleGradientCheck.passes(graph, input, labels)).isTrue();
    }

    private static ComputationGraph smallUNet() {
        AppConfig config = ConfigLoader.load(
                null, List.of("model.depth=2", "model.baseFilters=4", "training.imageSize=16", "training.batchSize=2"));
        return UNet.build(config.training(), config.model());
    }

    @Test
    void uNetSavesAndRestoresWithTheLayer() throws IOException {
        ComputationGraph current = smallUNet();
        ComputationGraph restored = roundTrip(current);
        Nd4j.getRandom().setSeed(9);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16).muli(255);

        var up = restored.getLayer("dec1_up").conf().getLayer();
        assertThat(up).isInstanceOf(TransposedConvolution2D.class);
        assertThat(((Deconvolution2D) up).getConvolutionMode()).isEqualTo(UNet.TRANSPOSED_MODE);
        assertThat(restored.outputSingle(images).data().asFloat())
                .containsExactly(current.outputSingle(images).data().asFloat());
    }

    /**
     * A U-Net saved with Same-mode Deconvolution2D layers (what earlier versions wrote: the current
     * configuration with that class and mode) restores with them and, with the same parameters, gives the
     * current U-Net's output, score and gradient.
     */
    @Test
    void earlierCheckpointsLoadAndAgree() throws IOException {
        ComputationGraph current = smallUNet();
        String json = current.getConfiguration().toJson();
        String layerClass = "\"" + TransposedConvolution2D.class.getName() + "\"";
        String mode = "\"convolutionMode\" : \"" + UNet.TRANSPOSED_MODE + "\"";
        assertThat(occurrences(json, layerClass)).as(json).isEqualTo(2);
        assertThat(occurrences(json, mode)).as(json).isEqualTo(2); // the network's default is Same
        String earlierJson = json.replace(layerClass, "\"" + Deconvolution2D.class.getName() + "\"")
                .replace(mode, "\"convolutionMode\" : \"Same\"");
        ComputationGraph earlier = new ComputationGraph(ComputationGraphConfiguration.fromJson(earlierJson));
        earlier.init(current.params().dup(), true);
        ComputationGraph restored = roundTrip(earlier);

        var restoredUp = restored.getLayer("dec1_up").conf().getLayer();
        assertThat(restoredUp.getClass()).isEqualTo(Deconvolution2D.class);
        assertThat(((Deconvolution2D) restoredUp).getConvolutionMode()).isEqualTo(ConvolutionMode.Same);
        Nd4j.getRandom().setSeed(7);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16).muli(255);
        INDArray labels = Nd4j.rand(DataType.FLOAT, 2, 5, 16, 16).gt(0.5).castTo(DataType.FLOAT);
        assertClose("output", current.outputSingle(images), restored.outputSingle(images));
        current.setInputs(images);
        current.setLabels(labels);
        current.computeGradientAndScore();
        restored.setInputs(images);
        restored.setLabels(labels);
        restored.computeGradientAndScore();
        assertThat(current.score()).isCloseTo(restored.score(), Offset.offset(1e-5 * restored.score()));
        assertClose(
                "gradient", current.gradient().gradient(), restored.gradient().gradient());
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static void assertClose(String what, INDArray actual, INDArray expected) {
        LayerComparison.assertClose(what, actual, expected, RELATIVE_TOLERANCE);
    }
}
