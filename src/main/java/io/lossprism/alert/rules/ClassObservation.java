package io.lossprism.alert.rules;

import java.util.Objects;

/**
 * One class of one batch, as the alert rules see it.
 *
 * @param loss             the class's term of the aggregate loss
 * @param meanPositiveLoss mean per-pixel cross-entropy over the class's positive pixels, {@code NaN} if none
 * @param iou              {@code NaN} when undefined (class absent and not predicted)
 * @param errors           false-positive plus false-negative pixels
 */
public record ClassObservation(String name, double loss, double meanPositiveLoss, double iou, long errors) {

    public ClassObservation {
        Objects.requireNonNull(name, "name");
    }
}
