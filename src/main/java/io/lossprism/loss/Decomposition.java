package io.lossprism.loss;

import java.util.List;

/**
 * A batch loss and its exact per-class decomposition.
 *
 * @param loss            the aggregate in the spec's convention; equals the sum of the class terms
 * @param meanElementLoss the cross-entropy part as a mean over every element (what Keras and PyTorch
 *                        print for BCE); NaN for a pure Dice loss
 * @param classes         one breakdown per class, in class order
 * @param iou             micro, macro and frequency-weighted IoU
 */
public record Decomposition(double loss, double meanElementLoss, List<ClassBreakdown> classes, IouAverages iou) {

    public Decomposition {
        classes = List.copyOf(classes);
    }
}
