package io.lossprism.training;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import java.util.Comparator;

/** The line training logs now and then: where it is, the loss, the worst class's IoU and the speed. */
final class ProgressLine {

    private ProgressLine() {}

    /**
     * @param epochs   epochs of the run
     * @param epochEnd the report is the last of its epoch
     */
    static String of(BatchReport report, int epochs, boolean epochEnd) {
        String worst = report.classes().stream()
                .filter(c -> !Double.isNaN(c.iou()))
                .min(Comparator.comparingDouble(ClassReport::iou))
                .map(c -> c.name() + ":" + fmt(c.iou()))
                .orElse("n/a");
        return (epochEnd ? "epoch done" : "progress") + " epoch=" + (report.epoch() + 1) + "/" + epochs
                + " iteration=" + report.iteration() + " loss=" + fmt(report.loss())
                + " perElement=" + fmt(report.meanElementLoss())
                + " residual=" + String.format("%.2e", report.residual())
                + " worstIou=" + worst
                + " imagesPerSecond=" + String.format("%.1f", report.imagesPerSecond());
    }

    private static String fmt(double value) {
        return String.format("%.4g", value);
    }
}
