package io.lossprism.training;

import static io.lossprism.testing.LayerComparison.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.model.Convolution2D;
import io.lossprism.model.TransposedConvolution2D;
import io.lossprism.model.onednn.OneDnnRuntime;
import io.lossprism.testing.DoubleGradientCheck;
import io.lossprism.testing.LayerComparison;
import io.lossprism.testing.LayerComparison.Pass;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.profiler.OpProfiler;
import org.nd4j.linalg.profiler.ProfilerConfig;

/**
 * The U-Net's convolutions ({@link Convolution2D}: the backward pass does not compute the forward pass again)
 * compute what DL4J's {@link ConvolutionLayer} computes, in float32 on oneDNN, forward and backward, for the
 * activations it shortcuts (ReLU, identity with and without bias); the gradient is right (finite differences,
 * double precision, DL4J's own path without oneDNN); a training step of the U-Net computes each convolution
 * once, with DL4J's workspaces and its check that no op reads an array of a closed workspace, and gives DL4J's
 * score and gradient; the U-Net saves and restores with the layer, and networks saved with DL4J's
 * ConvolutionLayer (checkpoints of earlier versions) still load and compute the same.
 *
 * <p>These run on DL4J's oneDNN helper ({@code lossprism.convolution=dl4j}): the op counts that show the
 * forward pass computed once are libnd4j's. {@code OneDnnConvolutionIT} covers oneDNN called directly,
 * the default.
 *
 * <p>Tolerance: every element must agree within 1e-5 of the largest magnitude of its array (float32's
 * epsilon is 1.2e-7). The layer feeds DL4J's own ops the same arrays, so the results are expected to be
 * identical; the tolerance leaves room for a kernel that does not sum in a fixed order.
 */
class Convolution2DIT {

    private static final double RELATIVE_TOLERANCE = 1e-5;

    @BeforeAll
    static void oneDnn() {
        OneDnn.enableHelpers();
        System.setProperty(OneDnnRuntime.SWITCH_PROPERTY, "dl4j");
    }

    @AfterAll
    static void defaultConvolution() {
        System.clearProperty(OneDnnRuntime.SWITCH_PROPERTY);
    }

    /** One 3x3 convolution (this layer, or with {@code reference} DL4J's) under an MSE loss. */
    private static ComputationGraph convolution(boolean reference, Activation activation, boolean bias) {
        var builder = new ConvolutionLayer.Builder(3, 3)
                .nOut(8)
                .hasBias(bias)
                .activation(activation)
                .convolutionMode(ConvolutionMode.Same);
        return LayerComparison.oneLayer("conv", reference ? builder.build() : new Convolution2D(builder), 12, 10, 6);
    }

    @ParameterizedTest
    @CsvSource({"RELU, true", "IDENTITY, true", "IDENTITY, false"})
    void equalsConvolutionLayerInFloat32OnOneDnn(Activation activation, boolean bias) {
        ComputationGraph dl4j = convolution(true, activation, bias);
        ComputationGraph once = convolution(false, activation, bias);
        Nd4j.getRandom().setSeed(42);
        dl4j.setParams(Nd4j.randn(DataType.FLOAT, 1, dl4j.numParams()));
        once.setParams(dl4j.params().dup());
        INDArray input = Nd4j.randn(DataType.FLOAT, 4, 6, 12, 10);
        INDArray outputGradient = Nd4j.randn(DataType.FLOAT, 4, 8, 12, 10);

        Pass reference = Pass.of(dl4j, "conv", input, outputGradient);
        long[] calls = new long[1];
        Pass oneDnn = profiled(() -> Pass.of(once, "conv", input, outputGradient), calls);

        assertThat(OneDnn.helperOf(once, "conv")).isEqualTo("MKLDNNConvHelper");
        assertThat(calls[0]).as("conv2d calls, forward and backward").isEqualTo(1);
        assertThat(oneDnn.output().shape()).containsExactly(4, 8, 12, 10);
        assertClose("output", oneDnn.output(), reference.output());
        assertClose("input gradient", oneDnn.inputGradient(), reference.inputGradient());
        assertClose("weight gradient", oneDnn.weightGradient(), reference.weightGradient());
        if (bias) {
            assertClose("bias gradient", oneDnn.biasGradient(), reference.biasGradient());
        } else {
            assertThat(oneDnn.biasGradient()).isNull();
        }
    }

    /** Without a training forward pass on the same input the backward pass computes it itself (DL4J's path). */
    @Test
    void backwardWithoutAForwardPassOnTheSameInputRecomputesIt() {
        ComputationGraph dl4j = convolution(true, Activation.RELU, true);
        ComputationGraph once = convolution(false, Activation.RELU, true);
        Nd4j.getRandom().setSeed(43);
        dl4j.setParams(Nd4j.randn(DataType.FLOAT, 1, dl4j.numParams()));
        once.setParams(dl4j.params().dup());
        INDArray first = Nd4j.randn(DataType.FLOAT, 4, 6, 12, 10);
        INDArray second = Nd4j.randn(DataType.FLOAT, 4, 6, 12, 10);
        INDArray outputGradient = Nd4j.randn(DataType.FLOAT, 4, 8, 12, 10);
        Layer reference = dl4j.getLayer("conv");
        Layer layer = once.getLayer("conv");
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();

        layer.activate(first, true, none);
        layer.setInput(second, none); // another input: the kept output does not belong to it
        reference.setInput(second, none);
        long[] calls = new long[1];
        INDArray inputGradient = profiled(() -> layer.backpropGradient(outputGradient, none), calls)
                .getSecond();
        assertThat(calls[0]).as("conv2d calls of the backward pass").isEqualTo(1);
        assertClose(
                "input gradient",
                inputGradient,
                reference.backpropGradient(outputGradient, none).getSecond());

        layer.activate(first, false, none); // inference keeps nothing
        calls[0] = 0;
        profiled(() -> layer.backpropGradient(outputGradient, none), calls);
        assertThat(calls[0])
                .as("conv2d calls of the backward pass after inference")
                .isEqualTo(1);
    }

    /** Same number, shapes and initial values of parameters, same updater as DL4J's layer. */
    @Test
    void parametersInitialisationAndUpdaterAreConvolutionLayers() {
        ComputationGraph current = smallUNet();
        ComputationGraph dl4j = new ComputationGraph(ComputationGraphConfiguration.fromJson(dl4jJson(current)));
        dl4j.init();

        assertThat(current.getLayer("enc1_conv1").conf().getLayer()).isInstanceOf(Convolution2D.class);
        assertThat(dl4j.getLayer("enc1_conv1").conf().getLayer().getClass()).isEqualTo(ConvolutionLayer.class);
        assertThat(current.numParams()).isEqualTo(dl4j.numParams());
        for (var entry : dl4j.paramTable().entrySet()) {
            assertThat(current.paramTable().get(entry.getKey()).shape())
                    .as(entry.getKey())
                    .containsExactly(entry.getValue().shape());
        }
        assertThat(current.params().data().asFloat())
                .containsExactly(dl4j.params().data().asFloat());
        for (String name : List.of("enc1_conv1", "bottleneck_conv2", "dec1_conv2", UNet.LOGITS)) {
            assertThat(((BaseLayer) current.getLayer(name).conf().getLayer()).getIUpdater())
                    .as(name)
                    .isEqualTo(((BaseLayer) dl4j.getLayer(name).conf().getLayer()).getIUpdater());
        }
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
                .setInputTypes(InputType.convolutional(5, 4, 2, CNN2DFormat.NCHW))
                .addLayer("relu", convolution3x3(3, Activation.RELU, true), "in")
                .addLayer("linear", convolution3x3(3, Activation.IDENTITY, false), "relu")
                .addLayer("relu2", convolution3x3(3, Activation.RELU, true), "linear")
                .addLayer(
                        "logits",
                        new Convolution2D(
                                new ConvolutionLayer.Builder(1, 1).nOut(2).activation(Activation.IDENTITY)),
                        "relu2")
                .addLayer(
                        "out",
                        new CnnLossLayer.Builder(LossFunctions.LossFunction.XENT)
                                .activation(Activation.SIGMOID)
                                .build(),
                        "logits")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 4).subi(0.5);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 4).gt(0.5).castTo(DataType.DOUBLE);

        assertThat(DoubleGradientCheck.passes(graph, input, labels)).isTrue();
    }

    private static Convolution2D convolution3x3(int filters, Activation activation, boolean bias) {
        return new Convolution2D(
                new ConvolutionLayer.Builder(3, 3).nOut(filters).hasBias(bias).activation(activation));
    }

    /**
     * A training step of the U-Net (DL4J's workspaces, as training runs them) computes each convolution once
     * where DL4J computes it twice, reads no array of a closed workspace, and gives DL4J's score and
     * gradient: the default network; with dropout, whose layer changes the bottleneck's ReLU output in place
     * before that convolution's backward pass reads it; with batch normalisation (linear convolutions),
     * bilinear upsampling and dropout.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {"", "model.dropout=0.5", "model.batchNorm=true model.upsampling=bilinear model.dropout=0.5"})
    void uNetStepComputesEachConvolutionOnceAndEqualsDl4js(String overrides) {
        ComputationGraph current = smallUNet(overrides.isEmpty() ? new String[0] : overrides.split(" "));
        ComputationGraph dl4j = new ComputationGraph(ComputationGraphConfiguration.fromJson(dl4jJson(current)));
        dl4j.init(current.params().dup(), true);
        assertThat(current.getConfiguration().getTrainingWorkspaceMode()).isEqualTo(WorkspaceMode.ENABLED);
        long convolutions = Arrays.stream(current.getLayers())
                .map(layer -> layer.conf().getLayer())
                .filter(layer -> layer instanceof ConvolutionLayer && !(layer instanceof Deconvolution2D))
                .count();
        assertThat(Arrays.stream(current.getLayers())
                        .filter(layer -> layer.conf().getLayer() instanceof Convolution2D))
                .hasSize((int) convolutions);
        Nd4j.getRandom().setSeed(7);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16).muli(255);
        INDArray labels = Nd4j.rand(DataType.FLOAT, 2, 5, 16, 16).gt(0.5).castTo(DataType.FLOAT);

        Step reference = Step.of(dl4j, images, labels);
        Step step = Step.of(current, images, labels);

        assertThat(OneDnn.helperOf(current, UNet.FIRST_CONV)).isEqualTo("MKLDNNConvHelper");
        assertThat(reference.conv2dCalls()).isEqualTo(2 * convolutions);
        assertThat(step.conv2dCalls()).isEqualTo(convolutions);
        assertThat(step.score()).isCloseTo(reference.score(), Offset.offset(1e-5 * reference.score()));
        assertClose("gradient", step.gradient(), reference.gradient());
    }

    /** Score, gradient and conv2d calls of one training step, the same dropout masks for every network. */
    private record Step(double score, INDArray gradient, long conv2dCalls) {

        static Step of(ComputationGraph graph, INDArray images, INDArray labels) {
            graph.setInputs(images);
            graph.setLabels(labels);
            long[] calls = new long[1];
            ProfilerConfig checks = ProfilerConfig.builder()
                    .checkWorkspaces(true)
                    .checkElapsedTime(true)
                    .build();
            profiled(
                    () -> {
                        Nd4j.getRandom().setSeed(17);
                        graph.computeGradientAndScore();
                        return null;
                    },
                    calls,
                    checks);
            return new Step(graph.score(), graph.gradient().gradient().dup(), calls[0]);
        }
    }

    /** {@code work}'s result; {@code calls[0]} gets the number of conv2d ops it ran. */
    private static <T> T profiled(Supplier<T> work, long[] calls) {
        return profiled(
                work, calls, ProfilerConfig.builder().checkElapsedTime(true).build());
    }

    private static <T> T profiled(Supplier<T> work, long[] calls, ProfilerConfig config) {
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingConfig(config);
        try {
            return work.get();
        } finally {
            Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
            calls[0] = OpProfiler.getInstance().getOpCounter().getCount("conv2d");
            OpProfiler.getInstance().reset();
        }
    }

    @Test
    void uNetSavesAndRestoresWithTheLayer() throws IOException {
        ComputationGraph current = smallUNet();
        ComputationGraph restored = roundTrip(current);
        Nd4j.getRandom().setSeed(9);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16).muli(255);

        assertThat(restored.getLayer("enc1_conv1").conf().getLayer()).isInstanceOf(Convolution2D.class);
        assertThat(restored.getLayer(UNet.LOGITS).conf().getLayer()).isInstanceOf(Convolution2D.class);
        assertThat(restored.outputSingle(images).data().asFloat())
                .containsExactly(current.outputSingle(images).data().asFloat());
    }

    /**
     * A U-Net saved with DL4J's ConvolutionLayer (what earlier versions wrote: the current configuration with
     * that class; with {@code sameModeDeconvolution}, as versions before {@link TransposedConvolution2D}
     * wrote, also with DL4J's Deconvolution2D in Same mode) restores with it and, with the same parameters,
     * gives the current U-Net's output, score and gradient.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void earlierCheckpointsLoadAndAgree(boolean sameModeDeconvolution) throws IOException {
        ComputationGraph current = smallUNet();
        String json = dl4jJson(current);
        if (sameModeDeconvolution) {
            json = json.replace(
                            "\"" + TransposedConvolution2D.class.getName() + "\"",
                            "\"" + Deconvolution2D.class.getName() + "\"")
                    .replace(
                            "\"convolutionMode\" : \"" + UNet.TRANSPOSED_MODE + "\"", "\"convolutionMode\" : \"Same\"");
        }
        ComputationGraph earlier = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
        earlier.init(current.params().dup(), true);
        ComputationGraph restored = roundTrip(earlier);

        assertThat(restored.getLayer("enc1_conv1").conf().getLayer().getClass()).isEqualTo(ConvolutionLayer.class);
        assertThat(restored.getLayer("dec1_up").conf().getLayer().getClass())
                .isEqualTo(sameModeDeconvolution ? Deconvolution2D.class : TransposedConvolution2D.class);
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

    private static ComputationGraph smallUNet(String... overrides) {
        var settings = new java.util.ArrayList<>(
                List.of("model.depth=2", "model.baseFilters=4", "training.imageSize=16", "training.batchSize=2"));
        settings.addAll(List.of(overrides));
        AppConfig config = ConfigLoader.load(null, settings);
        return UNet.build(config.training(), config.model());
    }

    /** {@code graph}'s configuration with DL4J's ConvolutionLayer wherever it has a {@link Convolution2D}. */
    private static String dl4jJson(ComputationGraph graph) {
        String json = graph.getConfiguration().toJson();
        String layerClass = "\"" + Convolution2D.class.getName() + "\"";
        assertThat(json.split(Pattern.quote(layerClass), -1).length - 1)
                .as(json)
                .isPositive();
        return json.replace(layerClass, "\"" + ConvolutionLayer.class.getName() + "\"");
    }

    private static void assertClose(String what, INDArray actual, INDArray expected) {
        LayerComparison.assertClose(what, actual, expected, RELATIVE_TOLERANCE);
    }
}
