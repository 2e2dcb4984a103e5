package io.lossprism.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLambdaLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Doubles height and width of NCHW activations by bilinear interpolation with half-pixel centres and
 * clamped edges: what Keras's {@code UpSampling2D(interpolation="bilinear")}, TensorFlow's
 * {@code resize(method="bilinear")} and PyTorch's {@code align_corners=False} compute. DL4J 1.0.0-M2.1
 * has only nearest-neighbour upsampling.
 *
 * <p>Per axis, output pixel {@code 2i} is {@code 0.75 x[i] + 0.25 x[i-1]} and {@code 2i+1} is
 * {@code 0.75 x[i] + 0.25 x[i+1]}, with {@code x[-1] = x[0]} and {@code x[n] = x[n-1]}. Built from
 * slices, sums and a reshape, so SameDiff differentiates it; no parameters.
 */
public final class BilinearUpsampling2D extends SameDiffLambdaLayer {

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input) {
        long[] shape = input.getShape(); // [-1, C, H, W]: the batch size is the only free dimension
        long channels = shape[1];
        long height = shape[2];
        long width = shape[3];
        SDVariable wide = upsampleAxis(sd, input, 3, width, new long[] {-1, channels, height, 2 * width});
        return upsampleAxis(sd, wide, 2, height, new long[] {-1, channels, 2 * height, 2 * width});
    }

    /** Interleaves the even and odd outputs along {@code axis} (2 = rows, 3 = columns). */
    private static SDVariable upsampleAxis(SameDiff sd, SDVariable x, int axis, long n, long[] outShape) {
        SDVariable first = x.get(index(axis, SDIndex.interval(0L, 1L)));
        SDVariable last = x.get(index(axis, SDIndex.interval(n - 1, n)));
        SDVariable previous = n == 1 ? first : sd.concat(axis, first, x.get(index(axis, SDIndex.interval(0L, n - 1))));
        SDVariable next = n == 1 ? last : sd.concat(axis, x.get(index(axis, SDIndex.interval(1L, n))), last);
        SDVariable even = x.mul(0.75).add(previous.mul(0.25));
        SDVariable odd = x.mul(0.75).add(next.mul(0.25));
        // stacking right after the axis and merging the two makes [.., i, 0/1, ..] consecutive: 2i, 2i+1
        return sd.reshape(sd.stack(axis + 1, even, odd), outShape);
    }

    private static SDIndex[] index(int axis, SDIndex range) {
        SDIndex[] all = {SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.all()};
        all[axis] = range;
        return all;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional conv)) {
            throw new IllegalStateException("bilinear upsampling needs convolutional input, got " + inputType);
        }
        // the computation is NCHW; the format is passed on so that the importer's shape inference, which runs
        // before the graph is turned into NCHW, stays consistent
        return InputType.convolutional(2 * conv.getHeight(), 2 * conv.getWidth(), conv.getChannels(),
                conv.getFormat());
    }
}
