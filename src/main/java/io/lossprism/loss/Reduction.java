package io.lossprism.loss;

/** How a framework turns the sum of weighted per-element losses into the one number it reports. */
public enum Reduction {
    /** DL4J's CnnLossLayer: sum over classes and pixels, divided by the number of images. */
    SUM_PER_IMAGE,
    /** Keras {@code sum_over_batch_size} and PyTorch {@code reduction='mean'}: mean over every element. */
    MEAN_PER_ELEMENT;

    double divisor(BatchShape shape) {
        return this == SUM_PER_IMAGE ? shape.batch() : (double) shape.elements();
    }
}
