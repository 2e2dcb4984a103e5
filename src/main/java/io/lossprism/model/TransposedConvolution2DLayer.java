package io.lossprism.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
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
 * gradient unchanged; the gradients themselves come from {@code deconv2d_bp} as before.
 */
final class TransposedConvolution2DLayer extends Deconvolution2DLayer {

    private static final long serialVersionUID = 1L;

    TransposedConvolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
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
