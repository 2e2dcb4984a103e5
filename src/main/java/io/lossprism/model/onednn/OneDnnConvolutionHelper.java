package io.lossprism.model.onednn;

import static io.lossprism.model.onednn.NativeArrays.address;
import static io.lossprism.model.onednn.NativeArrays.isPlain;
import static io.lossprism.model.onednn.NativeArrays.plainCopy;

import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's convolution helper, computed by oneDNN called directly ({@link ConvolutionPrimitives}) for
 * float32 NCHW; anything else (another data type or format, a geometry oneDNN refuses) goes to DL4J's
 * own oneDNN helper, which this extends so that DL4J treats it as that one (bias handling, messages).
 */
public final class OneDnnConvolutionHelper extends MKLDNNConvHelper {

    private final OneDnnRuntime runtime;
    private final PrimitivesCache primitives = new PrimitivesCache();

    /** Call only when {@link OneDnnRuntime#enabled()}. */
    public OneDnnConvolutionHelper(DataType dataType) {
        super(dataType);
        runtime = OneDnnRuntime.get();
    }

    @Override
    public INDArray preOutput(
            INDArray input,
            INDArray weights,
            INDArray bias,
            int[] kernel,
            int[] strides,
            int[] pad,
            AlgoMode mode,
            FwdAlgo fwdAlgo,
            ConvolutionMode convolutionMode,
            int[] dilation,
            CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        Optional<ConvolutionPrimitives> served = Optional.empty();
        if (isFloatNchw(input, weights, format) && bias != null && isPlain(weights) && isPlain(bias)) {
            // Same output size and padding as DL4J (this also validates the input as DL4J does).
            int[] outSize = ConvolutionUtils.getOutputSize(
                    input,
                    kernel,
                    strides,
                    convolutionMode == ConvolutionMode.Same ? null : pad,
                    convolutionMode,
                    dilation,
                    CNN2DFormat.NCHW);
            int[] topLeft = convolutionMode == ConvolutionMode.Same
                    ? ConvolutionUtils.getSameModeTopLeftPadding(
                            outSize, new int[] {(int) input.size(2), (int) input.size(3)}, kernel, strides, dilation)
                    : pad;
            served = primitivesFor(ConvolutionGeometry.of(
                    input.shape(), weights.shape(), outSize[0], outSize[1], strides, topLeft, dilation));
        }
        if (served.isEmpty()) {
            return super.preOutput(
                    input,
                    weights,
                    bias,
                    kernel,
                    strides,
                    pad,
                    mode,
                    fwdAlgo,
                    convolutionMode,
                    dilation,
                    format,
                    workspaceMgr);
        }
        ConvolutionPrimitives conv = served.get();
        INDArray src = plainCopy(input);
        INDArray out = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, DataType.FLOAT, conv.geometry().destination(), 'c');
        runtime.locked(() -> conv.forward(runtime, address(src), address(weights), address(bias), address(out)));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(
            INDArray input,
            INDArray weights,
            INDArray bias,
            INDArray delta,
            int[] kernel,
            int[] strides,
            int[] pad,
            INDArray biasGradView,
            INDArray weightGradView,
            IActivation afn,
            AlgoMode mode,
            BwdFilterAlgo bwdFilterAlgo,
            BwdDataAlgo bwdDataAlgo,
            ConvolutionMode convolutionMode,
            int[] dilation,
            CNN2DFormat format,
            LayerWorkspaceMgr workspaceMgr) {
        Optional<ConvolutionPrimitives> served = Optional.empty();
        if (isFloatNchw(input, weights, format)
                && delta.dataType() == DataType.FLOAT
                && isPlain(weights)
                && isPlain(weightGradView)
                && (biasGradView == null || isPlain(biasGradView))) {
            int[] topLeft = convolutionMode == ConvolutionMode.Same
                    ? ConvolutionUtils.getSameModeTopLeftPadding(
                            new int[] {(int) delta.size(2), (int) delta.size(3)},
                            new int[] {(int) input.size(2), (int) input.size(3)},
                            kernel,
                            strides,
                            dilation)
                    : pad;
            served = primitivesFor(ConvolutionGeometry.of(
                    input.shape(), weights.shape(), delta.size(2), delta.size(3), strides, topLeft, dilation));
        }
        if (served.isEmpty()) {
            return super.backpropGradient(
                    input,
                    weights,
                    bias,
                    delta,
                    kernel,
                    strides,
                    pad,
                    biasGradView,
                    weightGradView,
                    afn,
                    mode,
                    bwdFilterAlgo,
                    bwdDataAlgo,
                    convolutionMode,
                    dilation,
                    format,
                    workspaceMgr);
        }
        ConvolutionPrimitives conv = served.get();
        INDArray src = plainCopy(input);
        INDArray diffDst = plainCopy(delta);
        INDArray gradAtInput = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATION_GRAD, DataType.FLOAT, conv.geometry().source(), 'c');
        runtime.locked(() -> {
            Pointer diffBias = biasGradView != null
                    ? address(biasGradView)
                    : runtime.scratch()
                            .get(ScratchBuffers.Role.DIFF_BIAS, conv.geometry().outChannels() * Float.BYTES);
            conv.backward(
                    runtime,
                    address(src),
                    address(weights),
                    address(diffDst),
                    address(gradAtInput),
                    address(weightGradView),
                    diffBias);
        });
        Gradient gradient = new DefaultGradient();
        if (biasGradView != null) {
            gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(gradient, gradAtInput);
    }

    private Optional<ConvolutionPrimitives> primitivesFor(ConvolutionGeometry geometry) {
        return primitives.get(geometry, runtime);
    }

    private static boolean isFloatNchw(INDArray input, INDArray weights, CNN2DFormat format) {
        return format == CNN2DFormat.NCHW
                && input.rank() == 4
                && weights.rank() == 4
                && input.dataType() == DataType.FLOAT
                && weights.dataType() == DataType.FLOAT;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of("oneDnnScratchShared", runtime.scratch().bytes());
    }
}
