package io.lossprism.ingest;

import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;

/**
 * The loss an external run trains with, as far as assembling its reports needs it: the family and
 * convention (which divisor), the class weights (to give mean per-element losses), the Dice mode,
 * smoothing and epsilon, and for bce_dice the weights of its two parts:
 * {@code L = crossEntropyWeight * CE + diceWeight * (1 - D)}.
 */
public record IngestLoss(LossSpec spec, double crossEntropyWeight, double diceWeight) {

    public IngestLoss {
        if (!(crossEntropyWeight > 0)
                || !(diceWeight > 0)
                || Double.isInfinite(crossEntropyWeight)
                || Double.isInfinite(diceWeight)) {
            throw new IllegalArgumentException(
                    "part weights must be finite and > 0, got " + crossEntropyWeight + " and " + diceWeight);
        }
        if (spec.function() != LossFunction.BCE_DICE && (crossEntropyWeight != 1 || diceWeight != 1)) {
            throw new IllegalArgumentException("part weights apply to bce_dice only, not "
                    + spec.function().label());
        }
    }

    public LossFunction function() {
        return spec.function();
    }

    /** bce, focal, cce and bce_dice: records carry positiveLoss and negativeLoss. */
    public boolean hasCrossEntropy() {
        return function() != LossFunction.DICE;
    }

    /** dice and bce_dice: records carry intersection, predictionSum and truthSum. */
    public boolean hasDice() {
        return function() == LossFunction.DICE || function() == LossFunction.BCE_DICE;
    }
}
