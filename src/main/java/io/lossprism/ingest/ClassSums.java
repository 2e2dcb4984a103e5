package io.lossprism.ingest;

/**
 * One class of one batch as a framework's client computed it: sums, never arrays. Sums a loss family
 * does not use are NaN.
 *
 * @param positiveLoss  sum of the per-element loss (weights applied) over the class's positive elements
 * @param negativeLoss  the same over its negative elements
 * @param positives     elements whose target is positive (>= 0.5)
 * @param elements      elements of the class in the batch (N times positions)
 * @param intersection  Dice: sum of target times prediction
 * @param predictionSum Dice: sum of predictions
 * @param truthSum      Dice: sum of targets
 */
public record ClassSums(
        double positiveLoss,
        double negativeLoss,
        long positives,
        long elements,
        long tp,
        long fp,
        long fn,
        long tn,
        double intersection,
        double predictionSum,
        double truthSum) {}
