package io.lossprism.loss;

import java.util.List;
import java.util.function.ToDoubleFunction;

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
 * the frequent classes do well and a rare one fails. The same three rules average Dice
 * ({@link #of(List, ToDoubleFunction)} with {@link ConfusionCounts#dice()}).
 */
public record IouAverages(double micro, double macro, double frequencyWeighted) {

    public double hiddenClassGap() {
        return frequencyWeighted - macro;
    }

    static IouAverages of(List<ClassBreakdown> classes) {
        return of(classes.stream().map(ClassBreakdown::counts).toList(), ConfusionCounts::iou);
    }

    /**
     * The three averages of a ratio of the counts ({@link ConfusionCounts#iou()} or {@link ConfusionCounts#dice()}):
     * micro is the ratio of the pooled counts.
     */
    public static IouAverages of(List<ConfusionCounts> classes, ToDoubleFunction<ConfusionCounts> ratio) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        double macroSum = 0;
        int macroCount = 0;
        double weightedSum = 0;
        long weight = 0;
        for (ConfusionCounts n : classes) {
            tp += n.tp();
            fp += n.fp();
            fn += n.fn();
            tn += n.tn();
            if (ClassState.of(n) != ClassState.ABSENT_CORRECT) {
                macroSum += ratio.applyAsDouble(n);
                macroCount++;
            }
            long positives = n.tp() + n.fn();
            if (positives > 0) {
                weightedSum += positives * ratio.applyAsDouble(n);
                weight += positives;
            }
        }
        return new IouAverages(
                ratio.applyAsDouble(new ConfusionCounts(tp, fp, fn, tn)),
                macroCount == 0 ? Double.NaN : macroSum / macroCount,
                weight == 0 ? Double.NaN : weightedSum / weight);
    }
}
