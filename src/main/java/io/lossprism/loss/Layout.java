package io.lossprism.loss;

/** Memory order of a [batch, class, height, width] tensor flattened into an array. */
public enum Layout {
    /** Channels first (PyTorch, DL4J): index = ((n * C + c) * H + h) * W + w. */
    NCHW,
    /** Channels last (Keras): index = ((n * H + h) * W + w) * C + c. */
    NHWC;

    /** Distance in the flat array between two neighbouring pixels of one class. */
    int pixelStride(BatchShape shape) {
        return this == NCHW ? 1 : shape.classes();
    }

    /** Flat index of the first pixel of class {@code c} in image {@code n}. */
    int offset(BatchShape shape, int n, int c) {
        return this == NCHW
                ? (n * shape.classes() + c) * shape.pixelsPerImage()
                : n * shape.pixelsPerImage() * shape.classes() + c;
    }
}
