package io.lossprism.data;

/**
 * How a source of one size maps onto the square training size under a {@link Resize} mode. An image
 * and its masks share one Fit, so every mask pixel is taken from where its image pixel is.
 */
final class Fit {

    private final int size;
    private final AxisSampling x;
    private final AxisSampling y;

    private Fit(int size, AxisSampling x, AxisSampling y) {
        this.size = size;
        this.x = x;
        this.y = y;
    }

    static Fit of(Resize resize, int width, int height, int size) {
        int[] w = resize.window(width, height);
        return new Fit(size, AxisSampling.of(w[0], w[2], size), AxisSampling.of(w[1], w[3], size));
    }

    /** Side of the square target. */
    int size() {
        return size;
    }

    AxisSampling x() {
        return x;
    }

    AxisSampling y() {
        return y;
    }
}
