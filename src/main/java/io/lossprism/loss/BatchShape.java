package io.lossprism.loss;

/** Dimensions of one batch of segmentation outputs: N images, C classes, H x W pixels. */
public record BatchShape(int batch, int classes, int height, int width) {

    public BatchShape {
        if (batch < 1 || classes < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("every dimension must be positive: " + this);
        }
        if ((long) batch * classes * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batch too large for one array: " + this);
        }
    }

    public int pixelsPerImage() {
        return height * width;
    }

    /** Pixels of one class over the whole batch. */
    public long pixelsPerClass() {
        return (long) batch * pixelsPerImage();
    }

    /** Number of values in the flat array. */
    public int elements() {
        return batch * classes * pixelsPerImage();
    }
}
