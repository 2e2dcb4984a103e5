package io.lossprism.config;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The loss the network trains with ({@code training.loss} and its parameters), validated. Parameters a
 * family does not use are kept and have no effect: switching the loss of a configured run is one key.
 *
 * @param function       bce, focal, dice or bce_dice
 * @param posWeight      PyTorch's pos_weight: multiplies each class's positive-pixel cross-entropy; one per class
 * @param focalGamma     focal exponent, >= 0
 * @param focalAlpha     focal weight of positives (negatives get 1 - alpha), NaN for none
 * @param dice           micro (all classes pooled) or macro (per class, then the mean)
 * @param diceSmooth     added to the Dice numerator and denominator
 * @param bceDiceWeights the weights of the cross-entropy and Dice parts of bce_dice, or empty for
 *                       [1/(C*H*W), 1] (Keras' mean BCE + Dice)
 */
public record LossConfig(
        String function,
        List<Double> posWeight,
        double focalGamma,
        double focalAlpha,
        String dice,
        double diceSmooth,
        List<Double> bceDiceWeights) {

    public LossConfig {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(dice, "dice");
        posWeight = List.copyOf(posWeight);
        bceDiceWeights = List.copyOf(bceDiceWeights);
        if (!bceDiceWeights.isEmpty() && bceDiceWeights.size() != 2) {
            throw new IllegalArgumentException("bceDiceWeights has " + bceDiceWeights.size() + " entries, not 2");
        }
    }

    /** Plain binary cross-entropy, the built-in default, for {@code classes} classes. */
    public static LossConfig bce(int classes) {
        return new LossConfig("bce", Collections.nCopies(classes, 1.0), 2, Double.NaN, "micro", 1, List.of());
    }
}
