package io.lossprism.loss;

import java.util.List;

/**
 * A batch loss and its exact per-class decomposition.
 *
 * @param loss            the aggregate in the decomposer's reduction; equals the sum of the class terms
 * @param meanElementLoss the same weighted per-element losses averaged over every value of the batch
 *                        (what Keras and PyTorch report for BCE); differs from {@code loss} only by the divisor
 * @param classes         one breakdown per class, in class order
 */
public record Decomposition(double loss, double meanElementLoss, List<ClassBreakdown> classes) {

    public Decomposition {
        classes = List.copyOf(classes);
    }
}
