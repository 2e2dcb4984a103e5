package io.lossprism.bus;

import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.ConfusionCounts;

/**
 * One class in a {@link BatchReport}. Undefined ratios (a class absent from truth and prediction has
 * no IoU) are {@code NaN} here and {@code null} in JSON.
 *
 * @param loss the class's term of the batch loss; {@code loss = positiveLoss + negativeLoss}, and the
 *             terms of all classes add up to {@link BatchReport#loss()}
 */
public record ClassReport(
        int index,
        String name,
        double loss,
        double positiveLoss,
        double negativeLoss,
        double meanPositiveLoss,
        double meanNegativeLoss,
        double prevalence,
        long tp,
        long fp,
        long fn,
        long tn,
        double iou,
        double dice,
        double precision,
        double recall) {

    /** The report of one class of a decomposition, under its name. */
    public static ClassReport of(ClassBreakdown c, String name) {
        ConfusionCounts n = c.counts();
        return new ClassReport(
                c.index(),
                name,
                c.loss(),
                c.positiveLoss(),
                c.negativeLoss(),
                c.meanPositiveLoss(),
                c.meanNegativeLoss(),
                c.prevalence(),
                n.tp(),
                n.fp(),
                n.fn(),
                n.tn(),
                n.iou(),
                n.dice(),
                n.precision(),
                n.recall());
    }
}
