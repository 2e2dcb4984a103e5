package io.lossprism.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.upsampling.Upsampling2D;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The computation of {@link BilinearUpsampling2D}, one axis at a time (width, then height). Along an
 * axis of n pixels, output {@code 2i} is {@code 0.75 x[i] + 0.25 x[i-1]} and {@code 2i+1} is
 * {@code 0.75 x[i] + 0.25 x[i+1]}, with {@code x[-1] = x[0]} and {@code x[n] = x[n-1]}. The gradient is
 * the transpose: every output's gradient goes back to the two pixels it was made of, with the same weights.
 */
final class BilinearUpsampling2DLayer extends Upsampling2D {

    private static final long serialVersionUID = 1L;

    private static final double NEAR = 0.75;
    private static final double FAR = 0.25;
    private static final int HEIGHT = 2;
    private static final int WIDTH = 3;

    BilinearUpsampling2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    protected INDArray preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        requireNchw();
        long[] in = input.shape();
        INDArray wide = workspaceMgr.createUninitialized(
                ArrayType.FF_WORKING_MEM, input.dataType(), new long[] {in[0], in[1], in[2], 2 * in[3]}, 'c');
        forward(input, wide, WIDTH);
        INDArray output = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, input.dataType(), new long[] {in[0], in[1], 2 * in[2], 2 * in[3]}, 'c');
        forward(wide, output, HEIGHT);
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        requireNchw();
        long[] in = input.shape();
        INDArray wide = workspaceMgr.createUninitialized(
                ArrayType.BP_WORKING_MEM, epsilon.dataType(), new long[] {in[0], in[1], in[2], 2 * in[3]}, 'c');
        backward(epsilon, wide, HEIGHT);
        INDArray gradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), in, 'c');
        backward(wide, gradient, WIDTH);
        return new Pair<>(new DefaultGradient(), gradient);
    }

    /**
     * Writes x upsampled along {@code axis} into {@code out} (twice as long there). The halves are built in
     * plain arrays, then written to out's even and odd positions: adding into a sub-range of a strided
     * view failed in ND4J 1.0.0-M2.1 ("empty array") on a 1x1x2x2 input.
     */
    private static void forward(INDArray x, INDArray out, int axis) {
        long n = x.size(axis);
        INDArray even = x.mul(NEAR);
        INDArray odd = x.mul(NEAR);
        if (n > 1) {
            even.get(range(axis, 1, n)).addi(x.get(range(axis, 0, n - 1)).mul(FAR));
            odd.get(range(axis, 0, n - 1)).addi(x.get(range(axis, 1, n)).mul(FAR));
        }
        even.get(range(axis, 0, 1)).addi(x.get(range(axis, 0, 1)).mul(FAR));
        odd.get(range(axis, n - 1, n)).addi(x.get(range(axis, n - 1, n)).mul(FAR));
        out.get(along(axis, NDArrayIndex.interval(0, 2, 2 * n))).assign(even);
        out.get(along(axis, NDArrayIndex.interval(1, 2, 2 * n))).assign(odd);
    }

    /** Writes into {@code gx} the gradient for x of {@link #forward}'s output gradient {@code g}. */
    private static void backward(INDArray g, INDArray gx, int axis) {
        long n = gx.size(axis);
        INDArray even = g.get(along(axis, NDArrayIndex.interval(0, 2, 2 * n))).dup('c');
        INDArray odd = g.get(along(axis, NDArrayIndex.interval(1, 2, 2 * n))).dup('c');
        gx.assign(even.add(odd).muli(NEAR));
        if (n > 1) {
            gx.get(range(axis, 0, n - 1)).addi(even.get(range(axis, 1, n)).mul(FAR));
            gx.get(range(axis, 1, n)).addi(odd.get(range(axis, 0, n - 1)).mul(FAR));
        }
        gx.get(range(axis, 0, 1)).addi(even.get(range(axis, 0, 1)).mul(FAR));
        gx.get(range(axis, n - 1, n)).addi(odd.get(range(axis, n - 1, n)).mul(FAR));
    }

    private static INDArrayIndex[] range(int axis, long from, long to) {
        return along(axis, NDArrayIndex.interval(from, to));
    }

    private static INDArrayIndex[] along(int axis, INDArrayIndex index) {
        INDArrayIndex[] indices = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()};
        indices[axis] = index;
        return indices;
    }

    private void requireNchw() {
        if (layerConf().getFormat() != CNN2DFormat.NCHW || input.rank() != 4) {
            throw new IllegalStateException(
                    "bilinear upsampling '" + layerConf().getLayerName() + "' computes NCHW activations, got "
                            + layerConf().getFormat() + " of rank " + input.rank());
        }
    }
}
