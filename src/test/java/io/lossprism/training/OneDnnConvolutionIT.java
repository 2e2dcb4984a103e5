package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.model.Convolution2D;
import io.lossprism.model.onednn.OneDnnConvolutionHelper;
import io.lossprism.model.onednn.OneDnnReluBackward;
import io.lossprism.model.onednn.OneDnnRuntime;
import io.lossprism.testing.LayerComparison;
import io.lossprism.testing.LayerComparison.Pass;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.aggregator.ArgumentsAccessor;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * oneDNN called directly ({@link OneDnnConvolutionHelper}, the default on CPU) computes what DL4J's own
 * oneDNN helper computes: the output and the gradients of the input, the weights and the bias, for the
 * geometries DL4J's layers can ask for (Same and Truncate modes with padding, strides, 1x1,
 * non-square, batch 1, no bias), with weights and gradients as views into one parameter vector as DL4J
 * holds them, and with an input that is a strided view; dilation, against DL4J's own code; ReLU's
 * derivative from the kept output, against libnd4j's; what it cannot
 * take goes to DL4J's helper; and a
 * U-Net training step gives the score and the gradient of the same U-Net on DL4J's helper.
 *
 * <p>Tolerance: every element within 1e-5 of its array's largest magnitude for one layer (both are float32
 * sums in different orders: direct convolution against libnd4j's Winograd); 1e-4 for the U-Net's gradient,
 * whose rounding differences pass through 13 layers.
 */
class OneDnnConvolutionIT {

    private static final double LAYER_TOLERANCE = 1e-5;
    private static final double NETWORK_TOLERANCE = 1e-4;

    @BeforeAll
    static void helpers() {
        OneDnn.enableHelpers();
        assertThat(OneDnnRuntime.enabled()).as("oneDNN loads here").isTrue();
    }

    @AfterEach
    void defaultConvolution() {
        System.clearProperty(OneDnnRuntime.SWITCH_PROPERTY);
    }

    /** A convolution's arguments as DL4J's layer hands them to its helper. */
    private record Case(
            int batch,
            int in,
            int height,
            int width,
            int out,
            int kernelHeight,
            int kernelWidth,
            int stride,
            int dilation,
            ConvolutionMode mode,
            int padding,
            boolean bias) {

        /** From a row of the parameterised test, in the order of the components. */
        static Case of(ArgumentsAccessor row) {
            return new Case(
                    row.getInteger(0),
                    row.getInteger(1),
                    row.getInteger(2),
                    row.getInteger(3),
                    row.getInteger(4),
                    row.getInteger(5),
                    row.getInteger(6),
                    row.getInteger(7),
                    row.getInteger(8),
                    ConvolutionMode.valueOf(row.getString(9)),
                    row.getInteger(10),
                    row.getBoolean(11));
        }

        int[] kernel() {
            return new int[] {kernelHeight, kernelWidth};
        }

        int[] strides() {
            return new int[] {stride, stride};
        }

        int[] dilations() {
            return new int[] {dilation, dilation};
        }

        /** The output's shape, as DL4J computes it. */
        long[] outputShape(INDArray input) {
            int[] size = ConvolutionUtils.getOutputSize(
                    input,
                    kernel(),
                    strides(),
                    mode == ConvolutionMode.Same ? null : pad(input),
                    mode,
                    dilations(),
                    CNN2DFormat.NCHW);
            return new long[] {batch, out, size[0], size[1]};
        }

        /** What the layer passes: Same mode's top-left padding, else the configured one. */
        int[] pad(INDArray input) {
            if (mode != ConvolutionMode.Same) {
                return new int[] {padding, padding};
            }
            int[] outSize = ConvolutionUtils.getOutputSize(
                    input, kernel(), strides(), null, mode, dilations(), CNN2DFormat.NCHW);
            return ConvolutionUtils.getSameModeTopLeftPadding(
                    outSize, new int[] {height, width}, kernel(), strides(), dilations());
        }
    }

    /** Parameters and their gradients as DL4J lays them out: bias first, then weights, in one vector each. */
    private record Parameters(INDArray weights, INDArray bias, INDArray weightGradient, INDArray biasGradient) {

        static Parameters of(Case c, long seed) {
            long weightCount = (long) c.out() * c.in() * c.kernelHeight() * c.kernelWidth();
            int biasCount = c.bias() ? c.out() : 0;
            Nd4j.getRandom().setSeed(seed);
            INDArray flat =
                    Nd4j.rand(DataType.FLOAT, 1, biasCount + weightCount).subi(0.5);
            INDArray gradients = Nd4j.zeros(DataType.FLOAT, 1, biasCount + weightCount);
            long[] shape = {c.out(), c.in(), c.kernelHeight(), c.kernelWidth()};
            return new Parameters(
                    weightsView(flat, biasCount, weightCount, shape),
                    c.bias()
                            ? flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, biasCount))
                                    .reshape(1, biasCount)
                            : null,
                    weightsView(gradients, biasCount, weightCount, shape),
                    c.bias()
                            ? gradients
                                    .get(NDArrayIndex.point(0), NDArrayIndex.interval(0, biasCount))
                                    .reshape(1, biasCount)
                            : null);
        }

        private static INDArray weightsView(INDArray flat, int from, long count, long[] shape) {
            return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + count))
                    .reshape('c', shape);
        }
    }

    /** Output, input gradient, weight gradient and bias gradient of one helper. */
    private record Result(INDArray output, INDArray inputGradient, INDArray weightGradient, INDArray biasGradient) {

        static Result of(ConvolutionHelper helper, Case c, INDArray input, INDArray outputGradient, Parameters p) {
            LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
            // DL4J's layer hands its helpers a zero bias when the layer has none.
            INDArray bias = p.bias() != null ? p.bias() : Nd4j.zeros(DataType.FLOAT, 1, c.out());
            INDArray output = helper.preOutput(
                            input,
                            p.weights(),
                            bias,
                            c.kernel(),
                            c.strides(),
                            c.pad(input),
                            AlgoMode.PREFER_FASTEST,
                            FwdAlgo.IMPLICIT_GEMM,
                            c.mode(),
                            c.dilations(),
                            CNN2DFormat.NCHW,
                            noWorkspaces)
                    .dup();
            Pair<Gradient, INDArray> backward = helper.backpropGradient(
                    input,
                    p.weights(),
                    p.bias(),
                    outputGradient,
                    c.kernel(),
                    c.strides(),
                    c.pad(input),
                    p.biasGradient(),
                    p.weightGradient(),
                    new ActivationIdentity(),
                    AlgoMode.PREFER_FASTEST,
                    BwdFilterAlgo.ALGO_0,
                    BwdDataAlgo.ALGO_0,
                    c.mode(),
                    c.dilations(),
                    CNN2DFormat.NCHW,
                    noWorkspaces);
            INDArray biasGradient = backward.getFirst().getGradientFor(ConvolutionParamInitializer.BIAS_KEY);
            return new Result(
                    output,
                    backward.getSecond().dup(),
                    backward.getFirst()
                            .getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY)
                            .dup(),
                    biasGradient == null ? null : biasGradient.dup());
        }
    }

    @ParameterizedTest
    @CsvSource({
        // batch, in, height, width, out, kH, kW, stride, dilation, mode, padding, bias
        "2, 6, 12, 10, 8, 3, 3, 1, 1, Same, 0, true",
        "3, 8, 9, 11, 16, 3, 3, 2, 1, Same, 0, true",
        "2, 4, 10, 10, 6, 5, 3, 1, 1, Truncate, 2, true",
        "2, 3, 17, 15, 8, 3, 3, 2, 1, Truncate, 1, true",
        "1, 8, 16, 16, 5, 1, 1, 1, 1, Same, 0, true",
        "2, 16, 8, 8, 16, 3, 3, 1, 1, Same, 0, false",
        "16, 8, 32, 32, 8, 3, 3, 1, 1, Same, 0, true"
    })
    void equalsDl4jsOneDnnHelper(ArgumentsAccessor arguments) {
        Case c = Case.of(arguments);
        Nd4j.getRandom().setSeed(3);
        INDArray input = Nd4j.rand(DataType.FLOAT, c.batch(), c.in(), c.height(), c.width())
                .subi(0.5);
        INDArray outputGradient =
                Nd4j.rand(DataType.FLOAT, c.outputShape(input)).subi(0.5);

        Result expected =
                Result.of(new MKLDNNConvHelper(DataType.FLOAT), c, input, outputGradient, Parameters.of(c, 1));
        Result actual =
                Result.of(new OneDnnConvolutionHelper(DataType.FLOAT), c, input, outputGradient, Parameters.of(c, 1));

        assertClose("output", actual.output(), expected.output());
        assertClose("input gradient", actual.inputGradient(), expected.inputGradient());
        assertClose("weight gradient", actual.weightGradient(), expected.weightGradient());
        if (c.bias()) {
            assertClose("bias gradient", actual.biasGradient(), expected.biasGradient());
        } else {
            assertThat(actual.biasGradient()).isNull();
        }
    }

    /**
     * Dilation, which DL4J's oneDNN helper cannot take (libnd4j leaves the dilation out of its padding, oneDNN
     * refuses, DL4J falls back to its own im2col code): one dilated layer, against DL4J's ConvolutionLayer
     * without helpers.
     */
    @Test
    void dilatedConvolutionEqualsDl4jsOwnCode() {
        ComputationGraph direct = dilated(false);
        System.setProperty(OneDnn.HELPERS_DISABLED_PROPERTY, "true");
        ComputationGraph dl4j;
        try {
            dl4j = dilated(true);
        } finally {
            System.setProperty(OneDnn.HELPERS_DISABLED_PROPERTY, "false");
        }
        dl4j.setParams(direct.params().dup());
        Nd4j.getRandom().setSeed(8);
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 5, 13, 11).subi(0.5);
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, 2, 7, 13, 11).subi(0.5);

        Pass expected = Pass.of(dl4j, "conv", input, outputGradient);
        Pass actual = Pass.of(direct, "conv", input, outputGradient);

        assertThat(OneDnn.helperOf(direct, "conv")).isEqualTo("OneDnnConvolutionHelper");
        assertThat(OneDnn.helperOf(dl4j, "conv")).isEqualTo("none");
        assertClose("output", actual.output(), expected.output());
        assertClose("input gradient", actual.inputGradient(), expected.inputGradient());
        assertClose("weight gradient", actual.weightGradient(), expected.weightGradient());
        assertClose("bias gradient", actual.biasGradient(), expected.biasGradient());
    }

    private static ComputationGraph dilated(boolean reference) {
        var builder = new ConvolutionLayer.Builder(3, 3)
                .nOut(7)
                .dilation(2, 2)
                .activation(Activation.RELU)
                .convolutionMode(ConvolutionMode.Same);
        return LayerComparison.oneLayer("conv", reference ? builder.build() : new Convolution2D(builder), 13, 11, 5);
    }

    /**
     * ReLU's derivative from its output, by oneDNN: equal to libnd4j's {@code relu_bp} on the same arrays
     * (0 and -0 count as equal), also for an output gradient that is a strided view.
     */
    @Test
    void reluDerivativeEqualsLibnd4js() {
        Nd4j.getRandom().setSeed(10);
        INDArray output = Transforms.relu(Nd4j.rand(DataType.FLOAT, 3, 8, 9, 7).subi(0.5), false);
        INDArray plainGradient = Nd4j.rand(DataType.FLOAT, 3, 8, 9, 7).subi(0.5);
        INDArray viewGradient = Nd4j.rand(DataType.FLOAT, 3, 9, 7, 8).subi(0.5).permute(0, 3, 1, 2);
        OneDnnReluBackward relu = new OneDnnReluBackward();

        for (INDArray gradient : List.of(plainGradient, viewGradient)) {
            INDArray expected = Nd4j.exec(new RectifiedLinearDerivative(output, gradient, output.ulike(), 0.0))[0];
            INDArray actual = relu.apply(output, gradient, LayerWorkspaceMgr.noWorkspaces());
            assertThat(actual.sub(expected).amaxNumber().doubleValue()).isZero();
            assertThat(actual.eq(0).castTo(DataType.INT32).sumNumber().longValue())
                    .as("zeros where the output is not positive")
                    .isEqualTo(output.lte(0).castTo(DataType.INT32).sumNumber().longValue());
        }
    }

    /** An input that is a strided view (NHWC memory seen as NCHW) is read as its values, not its memory. */
    @Test
    void readsAStridedInputByItsValues() {
        Case c = new Case(2, 6, 9, 7, 4, 3, 3, 1, 1, ConvolutionMode.Same, 0, true);
        Nd4j.getRandom().setSeed(4);
        INDArray view = Nd4j.rand(DataType.FLOAT, 2, 9, 7, 6).subi(0.5).permute(0, 3, 1, 2);
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, 2, 4, 9, 7).subi(0.5);

        Result expected =
                Result.of(new MKLDNNConvHelper(DataType.FLOAT), c, view.dup('c'), outputGradient, Parameters.of(c, 2));
        Result actual =
                Result.of(new OneDnnConvolutionHelper(DataType.FLOAT), c, view, outputGradient, Parameters.of(c, 2));

        assertClose("output", actual.output(), expected.output());
        assertClose("input gradient", actual.inputGradient(), expected.inputGradient());
        assertClose("weight gradient", actual.weightGradient(), expected.weightGradient());
    }

    /**
     * What oneDNN is not asked: double precision goes where DL4J's helper sends it (null: DL4J's own code);
     * Truncate mode that drops input rows (negative padding after) is served by DL4J's helper.
     */
    @Test
    void leavesToDl4jWhatItDoesNotTake() {
        Case doubles = new Case(1, 2, 6, 6, 3, 3, 3, 1, 1, ConvolutionMode.Same, 0, true);
        INDArray input = Nd4j.rand(DataType.DOUBLE, 1, 2, 6, 6);
        INDArray weights = Nd4j.rand(DataType.DOUBLE, 3, 2, 3, 3);
        assertThat(new OneDnnConvolutionHelper(DataType.DOUBLE)
                        .preOutput(
                                input,
                                weights,
                                Nd4j.zeros(DataType.DOUBLE, 1, 3),
                                doubles.kernel(),
                                doubles.strides(),
                                doubles.pad(input),
                                AlgoMode.PREFER_FASTEST,
                                FwdAlgo.IMPLICIT_GEMM,
                                doubles.mode(),
                                doubles.dilations(),
                                CNN2DFormat.NCHW,
                                LayerWorkspaceMgr.noWorkspaces()))
                .isNull();

        // 5 rows, kernel 2, stride 2, no padding: 2 output rows, the last input row unused.
        Case truncating = new Case(2, 3, 5, 5, 4, 2, 2, 2, 1, ConvolutionMode.Truncate, 0, true);
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 5);
        INDArray outputGradient = Nd4j.rand(DataType.FLOAT, 2, 4, 2, 2);
        Result expected = Result.of(
                new MKLDNNConvHelper(DataType.FLOAT), truncating, x, outputGradient, Parameters.of(truncating, 3));
        Result actual = Result.of(
                new OneDnnConvolutionHelper(DataType.FLOAT),
                truncating,
                x,
                outputGradient,
                Parameters.of(truncating, 3));
        assertThat(actual.output().data().asFloat())
                .containsExactly(expected.output().data().asFloat());
        assertThat(actual.inputGradient().data().asFloat())
                .containsExactly(expected.inputGradient().data().asFloat());
    }

    /**
     * A U-Net training step (DL4J's workspaces, as training runs them, with its check that no op reads an
     * array of a closed workspace) gives the score and the gradient of the same U-Net on DL4J's helper.
     */
    @ParameterizedTest
    @CsvSource({"''", "model.dropout=0.5", "model.batchNorm=true model.upsampling=bilinear"})
    void uNetStepEqualsDl4jsHelper(String overrides) {
        ComputationGraph direct = smallUNet(overrides);
        System.setProperty(OneDnnRuntime.SWITCH_PROPERTY, "dl4j");
        ComputationGraph dl4j = smallUNet(overrides);
        System.clearProperty(OneDnnRuntime.SWITCH_PROPERTY);
        dl4j.setParams(direct.params().dup());
        Nd4j.getRandom().setSeed(7);
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 32, 32).muli(255);
        INDArray labels = Nd4j.rand(DataType.FLOAT, 4, 5, 32, 32).gt(0.5).castTo(DataType.FLOAT);

        Step expected = Step.of(dl4j, images, labels);
        Step actual = Step.of(direct, images, labels);

        assertThat(OneDnn.helperOf(direct, UNet.FIRST_CONV)).isEqualTo("OneDnnConvolutionHelper");
        assertThat(OneDnn.helperOf(dl4j, UNet.FIRST_CONV)).isEqualTo("MKLDNNConvHelper");
        assertThat(actual.score()).isCloseTo(expected.score(), Offset.offset(1e-5 * expected.score()));
        LayerComparison.assertClose("gradient", actual.gradient(), expected.gradient(), NETWORK_TOLERANCE);
    }

    /** Score and gradient of one training step, the same dropout masks for both networks. */
    private record Step(double score, INDArray gradient) {

        static Step of(ComputationGraph graph, INDArray images, INDArray labels) {
            graph.setInputs(images);
            graph.setLabels(labels);
            Nd4j.getExecutioner()
                    .setProfilingConfig(org.nd4j.linalg.profiler.ProfilerConfig.builder()
                            .checkWorkspaces(true)
                            .build());
            try {
                Nd4j.getRandom().setSeed(17);
                graph.computeGradientAndScore();
            } finally {
                Nd4j.getExecutioner()
                        .setProfilingConfig(org.nd4j.linalg.profiler.ProfilerConfig.builder()
                                .build());
            }
            return new Step(graph.score(), graph.gradient().gradient().dup());
        }
    }

    private static ComputationGraph smallUNet(String overrides) {
        List<String> settings = new ArrayList<>(
                List.of("model.depth=3", "model.baseFilters=8", "training.imageSize=32", "training.batchSize=4"));
        if (!overrides.isBlank()) {
            settings.addAll(List.of(overrides.split(" ")));
        }
        AppConfig config = ConfigLoader.load(null, settings);
        return UNet.build(config.training(), config.model());
    }

    private static void assertClose(String what, INDArray actual, INDArray expected) {
        LayerComparison.assertClose(what, actual, expected, LAYER_TOLERANCE);
    }
}
