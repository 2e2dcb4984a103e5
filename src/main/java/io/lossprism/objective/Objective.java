package io.lossprism.objective;

import io.lossprism.loss.Convention;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.lossprism.loss.LossSpec.DiceMode;

/**
 * The loss a network trains with: one specification for the DL4J loss function that computes it and
 * for the decomposition that explains it. Always DL4J's convention on logits (the U-Net's 1x1
 * convolution), a sigmoid family, and for {@code bce_dice} the weights of its two parts:
 * {@code L = crossEntropyWeight * sum(w_c BCE) / N + diceWeight * (1 - D)}.
 *
 * @param spec               the family and its parameters, as the decomposition reads them
 * @param crossEntropyWeight weight of the cross-entropy part of bce_dice; 1 for the other families
 * @param diceWeight         weight of the Dice part of bce_dice; 1 for the other families
 */
public record Objective(LossSpec spec, double crossEntropyWeight, double diceWeight) {

    /**
     * DL4J's probability clip for binary cross-entropy ({@code LossBinaryXENT.DEFAULT_CLIPPING_EPSILON}):
     * LossPrism's own losses clip the same way, so every cross-entropy here is DL4J's.
     */
    public static final double DL4J_CLIP_EPSILON = 1e-5;

    public Objective {
        if (spec.convention() != Convention.DL4J || !spec.fromLogits()) {
            throw new IllegalArgumentException("a training objective is in the dl4j convention on logits, got " + spec);
        }
        if (spec.function() == LossFunction.CCE) {
            throw new IllegalArgumentException("the U-Net has sigmoid outputs: cce cannot be trained");
        }
        if (!(crossEntropyWeight > 0)
                || !(diceWeight > 0)
                || Double.isInfinite(crossEntropyWeight)
                || Double.isInfinite(diceWeight)) {
            throw new IllegalArgumentException(
                    "bce_dice weights must be finite and > 0, got " + crossEntropyWeight + " and " + diceWeight);
        }
        if (spec.function() != LossFunction.BCE_DICE && (crossEntropyWeight != 1 || diceWeight != 1)) {
            throw new IllegalArgumentException("part weights apply to bce_dice only, not "
                    + spec.function().label());
        }
    }

    /**
     * An objective from its parameters; those its family does not use are kept but have no effect.
     *
     * @param alpha focal balance for positives, NaN for none
     */
    public static Objective dl4j(
            LossFunction function,
            double[] classWeights,
            double[] posWeights,
            double gamma,
            double alpha,
            DiceMode dice,
            double smooth,
            double crossEntropyWeight,
            double diceWeight) {
        return new Objective(
                new LossSpec(
                        function,
                        Convention.DL4J,
                        true,
                        classWeights,
                        posWeights,
                        gamma,
                        alpha,
                        dice,
                        smooth,
                        false,
                        0.5),
                crossEntropyWeight,
                diceWeight);
    }

    /** Plain binary cross-entropy with these class weights: what LossPrism trained before remedies. */
    public static Objective bce(double[] classWeights) {
        return dl4j(
                LossFunction.BCE,
                classWeights,
                LossSpec.ones(classWeights.length),
                2,
                Double.NaN,
                DiceMode.MICRO,
                1,
                1,
                1);
    }

    public LossFunction function() {
        return spec.function();
    }

    public int classes() {
        return spec.classes();
    }

    /** True for the families with a cross-entropy part: bce, focal, bce_dice. */
    public boolean hasCrossEntropy() {
        return function() != LossFunction.DICE;
    }

    /** True for the families with a Dice part: dice, bce_dice. */
    public boolean hasDice() {
        return function() == LossFunction.DICE || function() == LossFunction.BCE_DICE;
    }

    /** True when some pos_weight differs from 1. */
    public boolean hasPosWeights() {
        for (double q : spec.posWeights()) {
            if (q != 1) {
                return true;
            }
        }
        return false;
    }

    /** The cross-entropy part alone (bce for bce_dice), unweighted by {@link #crossEntropyWeight}. */
    LossSpec crossEntropyPart() {
        return withFunction(function() == LossFunction.BCE_DICE ? LossFunction.BCE : function());
    }

    /** The Dice part alone, unweighted by {@link #diceWeight}. */
    LossSpec dicePart() {
        return withFunction(LossFunction.DICE);
    }

    private LossSpec withFunction(LossFunction f) {
        return new LossSpec(
                f,
                spec.convention(),
                spec.fromLogits(),
                spec.classWeights(),
                spec.posWeights(),
                spec.gamma(),
                spec.alpha(),
                spec.dice(),
                spec.smooth(),
                spec.indexLabels(),
                spec.threshold());
    }

    /**
     * The objective as a formula over one batch: N images, class weights w_c, pos_weight q_c,
     * p = sigmoid(z) (clipped to [1e-5, 1 - 1e-5] inside the logarithms), s the Dice smoothing.
     */
    public String formula() {
        String bce = hasPosWeights()
                ? "sum w_c [q_c y (-ln p) + (1-y) (-ln(1-p))] / N"
                : "sum w_c [y (-ln p) + (1-y) (-ln(1-p))] / N";
        String dice = spec.dice() == DiceMode.MICRO
                ? "1 - (2 sum y p + s) / (sum y + sum p + s)"
                : "1 - mean_c (2 sum_c y p + s) / (sum_c y + sum_c p + s)";
        String alpha = Double.isNaN(spec.alpha()) ? "" : "alpha_t ";
        return switch (function()) {
            case BCE -> bce;
            case FOCAL ->
                "sum w_c " + alpha + "(1 - p_t)^gamma [" + (hasPosWeights() ? "q_c " : "")
                        + "y (-ln p) + (1-y) (-ln(1-p))] / N";
            case DICE -> dice;
            case BCE_DICE ->
                number(crossEntropyWeight) + " * " + bce + " + " + number(diceWeight) + " * (" + dice + ")";
            case CCE -> throw new IllegalStateException("cce is not a training objective");
        };
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.valueOf(value);
    }

    @Override
    public String toString() {
        return function().label() + "/" + spec.convention().label();
    }
}
