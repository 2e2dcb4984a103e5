package io.lossprism.model;

import io.lossprism.model.onednn.OneDnnRuntime;
import io.lossprism.model.onednn.OneDnnTransposedConvolution;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
import org.deeplearning4j.nn.params.DeconvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of {@link TransposedConvolution2D}: DL4J's {@link Deconvolution2DLayer}, except that
 * its backward pass gets an unfilled array of the output's shape instead of a recomputed forward pass
 * when the activation is the identity. DL4J's backward pass uses that array only as the input of the
 * activation's derivative, and the identity's derivative checks its shape and returns the output
 * gradient unchanged.
 *
 * <p>The passes themselves: on CPU, oneDNN's direct convolution called directly
 * ({@link OneDnnTransposedConvolution}); otherwise, for what it does not take, or with
 * {@code LOSSPRISM_CONVOLUTION=dl4j}, DL4J's {@code deconv2d} and {@code deconv2d_bp} as before.
 */
final class TransposedConvolution2DLayer extends Deconvolution2DLayer {

    private static final long serialVersionUID = 1L;

    /** Null on DL4J's path. */
    private final transient OneDnnTransposedConvolution oneDnn;

    TransposedConvolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        oneDnn = OneDnnRuntime.enabled() ? new OneDnnTransposedConvolution() : null;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(
            boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (oneDnnTakes()) {
            INDArray weights = getParamWithNoise(DeconvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
            INDArray bias = layerConf().hasBias()
                    ? getParamWithNoise(DeconvolutionParamInitializer.BIAS_KEY, training, workspaceMgr)
                    : null;
            INDArray output = oneDnn.forward(
                    input,
                    weights,
                    bias,
                    layerConf().getKernelSize(),
                    layerConf().getStride(),
                    layerConf().getPadding(),
                    workspaceMgr);
            if (output != null) {
                return new Pair<>(output, null);
            }
        }
        return super.preOutput(training, forBackprop, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!oneDnnTakes()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray weights = getParamWithNoise(DeconvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray delta = layerConf()
                .getActivationFn()
                .backprop(preOutput4d(true, true, workspaceMgr).getFirst(), epsilon.castTo(dataType))
                .getFirst();
        INDArray weightGradient = gradientViews.get(DeconvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGradient =
                layerConf().hasBias() ? gradientViews.get(DeconvolutionParamInitializer.BIAS_KEY) : null;
        INDArray inputGradient = oneDnn.backward(
                input,
                weights,
                delta,
                weightGradient,
                biasGradient,
                layerConf().getKernelSize(),
                layerConf().getStride(),
                layerConf().getPadding(),
                workspaceMgr);
        if (inputGradient == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        Gradient gradient = new DefaultGradient();
        if (biasGradient != null) {
            gradient.setGradientFor(DeconvolutionParamInitializer.BIAS_KEY, biasGradient);
        }
        gradient.setGradientFor(DeconvolutionParamInitializer.WEIGHT_KEY, weightGradient, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, inputGradient);
    }

    /** oneDNN computes this pass: on, and the input is what it takes (else DL4J's code, and its errors). */
    private boolean oneDnnTakes() {
        INDArray weights = getParam(DeconvolutionParamInitializer.WEIGHT_KEY);
        return oneDnn != null
                && input != null
                && input.rank() == 4
                && input.size(1) == weights.size(0)
                && oneDnn.takes(
                        input,
                        weights,
                        convolutionMode,
                        layerConf().getDilation(),
                        layerConf().getCnn2dDataFormat());
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput4d(
            boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!forBackprop || !(layerConf().getActivationFn() instanceof ActivationIdentity)) {
            return super.preOutput4d(training, forBackprop, workspaceMgr);
        }
        CNN2DFormat format = layerConf().getCnn2dDataFormat();
        int[] size = ConvolutionUtils.getDeconvolutionOutputSize(
                input,
                layerConf().getKernelSize(),
                layerConf().getStride(),
                layerConf().getPadding(),
                layerConf().getConvolutionMode(),
                layerConf().getDilation(),
                format);
        long channels = layerConf().getNOut();
        long[] shape = format == CNN2DFormat.NCHW
                ? new long[] {input.size(0), channels, size[0], size[1]}
                : new long[] {input.size(0), size[0], size[1], channels};
        return new Pair<>(
                workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(), shape, 'c'), null);
    }
}
