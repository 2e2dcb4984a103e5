package io.lossprism.loss;

/**
 * One class's share of a batch loss.
 *
 * @param index            class index (position on the class axis)
 * @param loss             the class's term of the aggregate; {@code loss = positiveLoss + negativeLoss}
 * @param positiveLoss     the part of the term from positions where the class is present (target >= 0.5)
 * @param negativeLoss     the part of the term from positions where the class is absent
 * @param meanPositiveLoss mean unweighted per-element cross-entropy over the class's positive positions
 *                         (NaN if none, or if the loss has no cross-entropy part)
 * @param meanNegativeLoss the same over its negative positions
 * @param prevalence       share of the class's positions that are positive
 * @param counts           confusion counts at the threshold (argmax for CCE)
 * @param state            whether the class is present, and if not whether it was predicted
 */
public record ClassBreakdown(
        int index,
        double loss,
        double positiveLoss,
        double negativeLoss,
        double meanPositiveLoss,
        double meanNegativeLoss,
        double prevalence,
        ConfusionCounts counts,
        ClassState state) {}
