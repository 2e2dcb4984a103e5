package io.lossprism.loss;

import java.util.Arrays;

/**
 * A loss as a framework computes it, with every parameter explicit.
 *
 * @param function      the loss family
 * @param convention    whose clipping and reduction the aggregate follows
 * @param fromLogits    predictions are pre-activation scores (sigmoid, or softmax for CCE)
 * @param classWeights  weight multiplying each class's per-element losses (cross-entropy parts)
 * @param posWeights    weight multiplying the positive term of each class's BCE (PyTorch pos_weight)
 * @param gamma         focal exponent (focal only)
 * @param alpha         focal balance for positives; NaN for none (focal only)
 * @param dice          micro or macro (dice and bce_dice only)
 * @param smooth        Dice smoothing, added to numerator and denominator
 * @param diceEpsilon   added to the Dice denominator only (Keras' {@code Dice()}: 1e-7)
 * @param indexLabels   CCE targets were class indices: PyTorch then divides by the summed target weights
 * @param threshold     probability above which a sigmoid output counts as predicted positive
 */
public record LossSpec(
        LossFunction function,
        Convention convention,
        boolean fromLogits,
        double[] classWeights,
        double[] posWeights,
        double gamma,
        double alpha,
        DiceMode dice,
        double smooth,
        double diceEpsilon,
        boolean indexLabels,
        double threshold) {

    /** Micro pools intersections and sums over all classes; macro averages per-class Dice. */
    public enum DiceMode {
        MICRO,
        MACRO
    }

    public LossSpec {
        classWeights = classWeights.clone();
        posWeights = posWeights.clone();
        requirePositive(classWeights, "class weight");
        requirePositive(posWeights, "pos_weight");
        if (classWeights.length != posWeights.length) {
            throw new IllegalArgumentException(
                    "got " + classWeights.length + " class weights and " + posWeights.length + " pos_weights");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma must be a finite number >= 0, got " + gamma);
        }
        if (!Double.isNaN(alpha) && !(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be between 0 and 1, got " + alpha);
        }
        if (!(smooth >= 0) || Double.isInfinite(smooth)) {
            throw new IllegalArgumentException("smooth must be a finite number >= 0, got " + smooth);
        }
        if (!(diceEpsilon >= 0) || Double.isInfinite(diceEpsilon)) {
            throw new IllegalArgumentException("dice epsilon must be a finite number >= 0, got " + diceEpsilon);
        }
        if (function == LossFunction.CCE && convention == Convention.TORCH && !fromLogits) {
            throw new IllegalArgumentException("torch's CrossEntropyLoss takes logits: use fromLogits");
        }
    }

    /** Every parameter but the Dice epsilon, which is 0: smoothing alone, as in the common dice_coef. */
    public LossSpec(
            LossFunction function,
            Convention convention,
            boolean fromLogits,
            double[] classWeights,
            double[] posWeights,
            double gamma,
            double alpha,
            DiceMode dice,
            double smooth,
            boolean indexLabels,
            double threshold) {
        this(
                function,
                convention,
                fromLogits,
                classWeights,
                posWeights,
                gamma,
                alpha,
                dice,
                smooth,
                0,
                indexLabels,
                threshold);
    }

    /** Plain binary cross-entropy with equal weights. */
    public static LossSpec bce(Convention convention, boolean fromLogits, int classes) {
        return of(LossFunction.BCE, convention, fromLogits, ones(classes));
    }

    /**
     * The convention's own defaults for everything but the family, activation and class weights: no
     * pos_weight, focal gamma and alpha, micro Dice with its smoothing and epsilon (see {@link Convention}),
     * threshold 0.5.
     */
    public static LossSpec of(LossFunction function, Convention convention, boolean fromLogits, double[] classWeights) {
        return new LossSpec(
                function,
                convention,
                fromLogits,
                classWeights,
                ones(classWeights.length),
                convention.defaultFocalGamma(),
                convention.defaultFocalAlpha(),
                DiceMode.MICRO,
                convention.defaultDiceSmooth(),
                convention.defaultDiceEpsilon(),
                false,
                0.5);
    }

    public int classes() {
        return classWeights.length;
    }

    public static double[] ones(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        return ones;
    }

    private static void requirePositive(double[] weights, String what) {
        for (double w : weights) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(what + "s must be finite and > 0, got " + w);
            }
        }
    }

    @Override
    public double[] classWeights() {
        return classWeights.clone();
    }

    @Override
    public double[] posWeights() {
        return posWeights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossSpec s
                && function == s.function
                && convention == s.convention
                && fromLogits == s.fromLogits
                && Arrays.equals(classWeights, s.classWeights)
                && Arrays.equals(posWeights, s.posWeights)
                && Double.compare(gamma, s.gamma) == 0
                && Double.compare(alpha, s.alpha) == 0
                && dice == s.dice
                && Double.compare(smooth, s.smooth) == 0
                && Double.compare(diceEpsilon, s.diceEpsilon) == 0
                && indexLabels == s.indexLabels
                && Double.compare(threshold, s.threshold) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(classWeights) * 31 + function.hashCode();
    }

    @Override
    public String toString() {
        return function.label() + "/" + convention.label() + (fromLogits ? "/logits" : "");
    }
}
