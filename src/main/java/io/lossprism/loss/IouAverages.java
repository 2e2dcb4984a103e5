package io.lossprism.loss;

import java.util.List;

/**
 * Three averages of per-class IoU that disagree exactly when a class is hidden by the averaging.
 *
 * <ul>
 *   <li>micro: pooled counts, sum(TP) / sum(TP + FP + FN); dominated by large classes;</li>
 *   <li>macro: mean of the classes whose IoU is defined ({@link ClassState#ABSENT_CORRECT} classes are
 *       left out; a class absent from the truth but predicted counts with IoU 0);</li>
 *   <li>frequency-weighted: mean weighted by each class's positive pixels (absent classes weigh 0).</li>
 * </ul>
 * Each is NaN when no class qualifies. {@link #hiddenClassGap()} = frequency-weighted - macro: large when
 * the frequent classes do well and a rare one fails.
 */
public record IouAverages(double micro, double macro, double frequencyWeighted) {

    public double hiddenClassGap() {
        return frequencyWeighted - macro;
    }

    static IouAverages of(List<ClassBreakdown> classes) {
        long tp = 0;
        long all = 0;
        double macroSum = 0;
        int macroCount = 0;
        double weightedSum = 0;
        long weight = 0;
        for (ClassBreakdown c : classes) {
            ConfusionCounts n = c.counts();
            tp += n.tp();
            all += n.tp() + n.fp() + n.fn();
            if (c.state() != ClassState.ABSENT_CORRECT) {
                macroSum += n.iou();
                macroCount++;
            }
            long positives = n.tp() + n.fn();
            if (positives > 0) {
                weightedSum += positives * n.iou();
                weight += positives;
            }
        }
        return new IouAverages(all == 0 ? Double.NaN : (double) tp / all,
                macroCount == 0 ? Double.NaN : macroSum / macroCount,
                weight == 0 ? Double.NaN : weightedSum / weight);
    }
}
