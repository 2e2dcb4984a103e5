package io.lossprism.alerting;

import io.lossprism.alert.ClassSample;
import io.lossprism.alert.Sample;
import io.lossprism.bus.BatchReport;
import java.util.List;

/** Reads what the alert rules need out of a batch report. */
final class Samples {

    private Samples() {
    }

    static Sample of(BatchReport report) {
        List<ClassSample> classes = report.classes().stream()
                .map(c -> new ClassSample(c.name(), c.loss(), c.meanPositiveLoss(), c.iou(), c.fp() + c.fn()))
                .toList();
        return new Sample(report.split(), report.iteration(), report.loss(), report.meanPositiveLoss(), classes);
    }
}
