package io.lossprism.model.onednn;

import static io.lossprism.model.onednn.NativeArrays.address;
import static io.lossprism.model.onednn.NativeArrays.isPlain;
import static io.lossprism.model.onednn.NativeArrays.plainCopy;

import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's transposed convolution ({@code Deconvolution2D}, weights [in, out, kh, kw]) computed by oneDNN's
 * direct convolution primitives. A transposed convolution is the input gradient of the convolution that
 * maps its output back onto its input, with the same weights read as [that convolution's out, in, kh, kw];
 * so its forward pass is that convolution's backward-data pass, its input gradient that convolution's
 * forward pass, and its weight gradient that convolution's weight gradient with the roles of input and
 * output gradient swapped. The bias, which the convolution's passes do not carry, is added and summed
 * by ND4J. For float32 NCHW, Truncate mode, no dilation (the U-Net's 2x2 stride-2 upsampling); anything
 * else is not taken (null/false) and DL4J's code runs.
 */
public final class OneDnnTransposedConvolution {

    private final OneDnnRuntime runtime = OneDnnRuntime.get();
    private final PrimitivesCache primitives = new PrimitivesCache();

    /** Whether it computes this layer's passes; when false, DL4J's code must. */
    public boolean takes(INDArray input, INDArray weights, ConvolutionMode mode, int[] dilation, CNN2DFormat format) {
        return format == CNN2DFormat.NCHW
                && mode != ConvolutionMode.Same
                && dilation[0] == 1
                && dilation[1] == 1
                && input.rank() == 4
                && input.dataType() == DataType.FLOAT
                && weights.dataType() == DataType.FLOAT
                && isPlain(weights);
    }

    /** The output, in the activations workspace; null when oneDNN cannot compute it. */
    public INDArray forward(
            INDArray input,
            INDArray weights,
            INDArray bias,
            int[] kernel,
            int[] strides,
            int[] pad,
            LayerWorkspaceMgr workspaceMgr) {
        Optional<ConvolutionPrimitives> served = primitivesFor(input, weights, kernel, strides, pad);
        if (served.isEmpty()) {
            return null;
        }
        ConvolutionPrimitives conv = served.get();
        INDArray x = plainCopy(input);
        INDArray out = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, DataType.FLOAT, conv.geometry().source(), 'c');
        runtime.locked(() -> conv.backwardData(runtime, address(x), address(weights), address(out)));
        if (bias != null) {
            Nd4j.getExecutioner().exec(new BroadcastAddOp(out, bias.reshape(bias.length()), out, 1));
        }
        return out;
    }

    /**
     * The input gradient (in the activation-gradient workspace), with the weight and bias gradients written
     * into their views ({@code biasGradient} null without a bias); null when oneDNN cannot compute it.
     */
    public INDArray backward(
            INDArray input,
            INDArray weights,
            INDArray delta,
            INDArray weightGradient,
            INDArray biasGradient,
            int[] kernel,
            int[] strides,
            int[] pad,
            LayerWorkspaceMgr workspaceMgr) {
        Optional<ConvolutionPrimitives> served = primitivesFor(input, weights, kernel, strides, pad);
        if (served.isEmpty() || !isPlain(weightGradient) || delta.dataType() != DataType.FLOAT) {
            return null;
        }
        ConvolutionPrimitives conv = served.get();
        INDArray x = plainCopy(input);
        INDArray gradient = plainCopy(delta);
        INDArray inputGradient =
                workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        runtime.locked(() -> {
            conv.forward(
                    runtime,
                    address(gradient),
                    address(weights),
                    runtime.scratch().zeros(conv.geometry().outChannels()),
                    address(inputGradient));
            conv.backwardWeights(
                    runtime,
                    address(gradient),
                    address(x),
                    address(weightGradient),
                    runtime.scratch()
                            .get(ScratchBuffers.Role.DIFF_BIAS, conv.geometry().outChannels() * Float.BYTES));
        });
        if (biasGradient != null) {
            biasGradient.assign(gradient.sum(0, 2, 3).reshape(biasGradient.shape()));
        }
        return inputGradient;
    }

    /** The convolution whose input is this layer's output and whose output is this layer's input. */
    private Optional<ConvolutionPrimitives> primitivesFor(
            INDArray input, INDArray weights, int[] kernel, int[] strides, int[] pad) {
        int[] outSize = ConvolutionUtils.getDeconvolutionOutputSize(
                input, kernel, strides, pad, ConvolutionMode.Truncate, new int[] {1, 1}, CNN2DFormat.NCHW);
        long[] output = {input.size(0), weights.size(1), outSize[0], outSize[1]};
        return primitives.get(
                ConvolutionGeometry.of(
                        output, weights.shape(), input.size(2), input.size(3), strides, pad, new int[] {1, 1}),
                runtime);
    }
}
