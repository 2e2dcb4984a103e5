package io.lossprism.loss;

/**
 * One class's share of a batch loss.
 *
 * @param index            class index (position on the class axis)
 * @param loss             the class's term of the aggregate; {@code loss = positiveLoss + negativeLoss}
 * @param positiveLoss     the part of the term from pixels where the class is present
 * @param negativeLoss     the part of the term from pixels where the class is absent
 * @param meanPositiveLoss mean unweighted per-pixel loss over the class's positive pixels (NaN if none)
 * @param meanNegativeLoss mean unweighted per-pixel loss over the class's negative pixels (NaN if none)
 * @param prevalence       share of the class's pixels that are positive
 * @param counts           confusion counts at the threshold
 */
public record ClassBreakdown(int index, double loss, double positiveLoss, double negativeLoss,
                             double meanPositiveLoss, double meanNegativeLoss, double prevalence,
                             ConfusionCounts counts) {
}
