package io.lossprism.metrics;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import java.util.ArrayList;
import java.util.List;

/** Small hand-checkable reports for the meter tests. */
final class Reports {

    private Reports() {}

    /**
     * One class of a report; the confusion counts are chosen so that {@code fp + fn} is the class's errors
     * and {@code tp + fn} its positive pixels.
     */
    static ClassReport cls(
            int index,
            String name,
            double loss,
            double positiveLoss,
            double meanPositiveLoss,
            double prevalence,
            long tp,
            long fp,
            long fn,
            double iou,
            double dice) {
        return new ClassReport(
                index,
                name,
                loss,
                positiveLoss,
                loss - positiveLoss,
                meanPositiveLoss,
                0.01,
                prevalence,
                tp,
                fp,
                fn,
                1000 - tp - fp - fn,
                iou,
                dice,
                Double.NaN,
                Double.NaN);
    }

    /** A report whose aggregate loss is the sum of its class terms, as the trainer's are. */
    static BatchReport report(String split, long iteration, ClassReport... classes) {
        return report("run-1", split, iteration, classes);
    }

    static BatchReport report(String runId, String split, long iteration, ClassReport... classes) {
        double loss = 0;
        for (ClassReport c : classes) {
            loss += c.loss();
        }
        return new BatchReport(
                runId,
                BatchReport.VERSION,
                split,
                0,
                iteration,
                1_000 * iteration,
                4,
                "dl4j",
                loss,
                loss + 0.001,
                loss / 10,
                8.0,
                new ArrayList<>(List.of(classes)));
    }
}
