package io.lossprism.data;

/**
 * One batch in NCHW order: images with 3 channels of 0..255 values, masks with one binary channel
 * per class. The arrays are owned by the batch and reused by the source that fills it.
 */
public record SegmentationBatch(int size, int imageSize, int classes, float[] images, float[] masks) {

    public static SegmentationBatch allocate(int size, int imageSize, int classes) {
        int pixels = imageSize * imageSize;
        return new SegmentationBatch(
                size,
                imageSize,
                classes,
                new float[size * SyntheticShapes.CHANNELS * pixels],
                new float[size * classes * pixels]);
    }
}
