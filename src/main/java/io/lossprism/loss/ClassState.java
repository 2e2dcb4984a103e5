package io.lossprism.loss;

/**
 * Whether a class's IoU means anything. Libraries disagree on a class absent from both truth and
 * prediction (torchmetrics says 0, segmentation_models_pytorch 1, MONAI NaN); LossPrism says which case
 * it is instead of inventing a number.
 */
public enum ClassState {
    /** The class has positive pixels in the truth: IoU is defined. */
    PRESENT,
    /** Absent from the truth and never predicted: IoU is undefined, and that is correct behaviour. */
    ABSENT_CORRECT,
    /** Absent from the truth but predicted somewhere: IoU is 0. */
    ABSENT_WITH_FALSE_POSITIVES;

    static ClassState of(ConfusionCounts counts) {
        if (counts.tp() + counts.fn() > 0) {
            return PRESENT;
        }
        return counts.fp() == 0 ? ABSENT_CORRECT : ABSENT_WITH_FALSE_POSITIVES;
    }
}
