package io.lossprism.bus;

/**
 * One class in a {@link BatchReport}. Undefined ratios (a class absent from truth and prediction has
 * no IoU) are {@code NaN} here and {@code null} in JSON.
 *
 * @param loss the class's term of the batch loss; {@code loss = positiveLoss + negativeLoss}, and the
 *             terms of all classes add up to {@link BatchReport#loss()}
 */
public record ClassReport(int index, String name, double loss, double positiveLoss, double negativeLoss,
                          double meanPositiveLoss, double meanNegativeLoss, double prevalence,
                          long tp, long fp, long fn, long tn,
                          double iou, double dice, double precision, double recall) {
}
