package io.lossprism.loss;

/**
 * Dimensions of one batch of outputs: N items, C classes, P positions per item (the product of the
 * spatial dimensions: H x W for images, 1 for plain multi-label classification).
 */
public record BatchShape(int batch, int classes, int pixels) {

    public BatchShape {
        if (batch < 1 || classes < 1 || pixels < 1) {
            throw new IllegalArgumentException(
                    "every dimension must be positive: " + batch + "x" + classes + "x" + pixels);
        }
        if ((long) batch * classes * pixels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "batch too large for one array: " + batch + "x" + classes + "x" + pixels);
        }
    }

    public static BatchShape of(int batch, int classes, int height, int width) {
        return new BatchShape(batch, classes, Math.multiplyExact(height, width));
    }

    /** Positions of one class over the whole batch. */
    public long pixelsPerClass() {
        return (long) batch * pixels;
    }

    /** Number of values in the flat array. */
    public int elements() {
        return batch * classes * pixels;
    }
}
