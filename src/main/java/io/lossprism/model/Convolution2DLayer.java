package io.lossprism.model;

import io.lossprism.model.onednn.OneDnnConvolutionHelper;
import io.lossprism.model.onednn.OneDnnReluBackward;
import io.lossprism.model.onednn.OneDnnRuntime;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of {@link Convolution2D}: DL4J's {@link ConvolutionLayer}, except for what its backward
 * pass hands the activation's derivative in place of a recomputed forward pass (the pre-activation z).
 *
 * <ul>
 *   <li>Identity: an unfilled array of the output's shape; the identity's derivative checks the shape and
 *       returns the output gradient unchanged.
 *   <li>ReLU (DL4J's plain one: no threshold, slope or cap): the output of the training forward pass on
 *       the same input, kept until the backward pass. Its derivative passes the output gradient where its
 *       input is positive, and relu(z) &gt; 0 exactly where z &gt; 0 (NaN and -0 included), so the
 *       gradient is bit for bit the same. The output lives in the activations workspace, which stays
 *       open until the backward pass is done; the reference is dropped after the backward pass, on
 *       {@link #clear()} and by every forward pass.
 *   <li>Anything else (other activations, no training forward pass on this input): DL4J's path.
 * </ul>
 *
 * <p>The convolution itself, forward and backward: on CPU, oneDNN called directly
 * ({@link OneDnnConvolutionHelper}, in place of the helper DL4J picks), with ReLU's derivative from the kept
 * output by oneDNN too ({@link OneDnnReluBackward}); otherwise, or with
 * {@code LOSSPRISM_CONVOLUTION=dl4j}, DL4J's code as before ({@code conv2d}/{@code conv2d_bp} with its
 * oneDNN helper, im2col and gemm without it).
 */
final class Convolution2DLayer extends ConvolutionLayer {

    private static final long serialVersionUID = 1L;

    /** This layer's input and output in the last training forward pass, ReLU only; null when none. */
    private transient INDArray forwardInput;

    private transient INDArray forwardOutput;

    /** oneDNN's ReLU derivative, with oneDNN's helper; null otherwise. */
    private final transient OneDnnReluBackward reluBackward;

    Convolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        // Where DL4J picked its oneDNN helper (CPU, helpers on), oneDNN called directly serves instead.
        boolean oneDnn = helper != null && helper.getClass() == MKLDNNConvHelper.class && OneDnnRuntime.enabled();
        if (oneDnn) {
            helper = new OneDnnConvolutionHelper(dataType);
        }
        reluBackward = oneDnn ? new OneDnnReluBackward() : null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        forget();
        INDArray output = super.activate(training, workspaceMgr);
        if (training && isPlainRelu(layerConf().getActivationFn())) {
            forwardInput = input;
            forwardOutput = output;
        }
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        try {
            Pair<Gradient, INDArray> oneDnn = backpropThroughKeptRelu(epsilon, workspaceMgr);
            return oneDnn != null ? oneDnn : super.backpropGradient(epsilon, workspaceMgr);
        } finally {
            forget();
        }
    }

    /**
     * DL4J's backward pass on its helper path (the helper's gradients, then dropout's), with the ReLU's
     * derivative taken by oneDNN from the kept output; null where that does not apply (DL4J's path then).
     */
    private Pair<Gradient, INDArray> backpropThroughKeptRelu(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (reluBackward == null
                || forwardOutput == null
                || input != forwardInput
                || helperCountFail > 0
                || layerConf().getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            return null;
        }
        INDArray delta = reluBackward.apply(forwardOutput, epsilon.castTo(dataType), workspaceMgr);
        if (delta == null) {
            return null;
        }
        Pair<Gradient, INDArray> gradients = helper.backpropGradient(
                input.castTo(dataType),
                getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr),
                getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr),
                delta,
                layerConf().getKernelSize(),
                layerConf().getStride(),
                layerConf().getPadding(),
                gradientViews.get(ConvolutionParamInitializer.BIAS_KEY),
                gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY),
                layerConf().getActivationFn(),
                layerConf().getCudnnAlgoMode(),
                layerConf().getCudnnBwdFilterAlgo(),
                layerConf().getCudnnBwdDataAlgo(),
                convolutionMode,
                layerConf().getDilation(),
                CNN2DFormat.NCHW,
                workspaceMgr);
        if (gradients == null) {
            return null;
        }
        gradients.setSecond(backpropDropOutIfPresent(gradients.getSecond()));
        return gradients;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput4d(
            boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (forBackprop) {
            if (layerConf().getActivationFn() instanceof ActivationIdentity) {
                return new Pair<>(unfilledOutput(workspaceMgr), null);
            }
            if (forwardOutput != null && input == forwardInput) {
                return new Pair<>(forwardOutput, null);
            }
        }
        return super.preOutput4d(training, forBackprop, workspaceMgr);
    }

    @Override
    public void clear() {
        super.clear();
        forget();
    }

    private void forget() {
        forwardInput = null;
        forwardOutput = null;
    }

    /** DL4J's ReLU without threshold, negative slope or cap: the one whose derivative is z &gt; 0. */
    private static boolean isPlainRelu(IActivation activation) {
        return activation instanceof ActivationReLU relu
                && relu.getMax() == null
                && relu.getThreshold() == null
                && relu.getNegativeSlope() == null;
    }

    private INDArray unfilledOutput(LayerWorkspaceMgr workspaceMgr) {
        CNN2DFormat format = layerConf().getCnn2dDataFormat();
        int[] size = ConvolutionUtils.getOutputSize(
                input,
                layerConf().getKernelSize(),
                layerConf().getStride(),
                convolutionMode == ConvolutionMode.Same ? null : layerConf().getPadding(),
                convolutionMode,
                layerConf().getDilation(),
                format);
        long channels = layerConf().getNOut();
        long[] shape = format == CNN2DFormat.NCHW
                ? new long[] {input.size(0), channels, size[0], size[1]}
                : new long[] {input.size(0), size[0], size[1], channels};
        return workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, shape, 'c');
    }
}
