package io.lossprism.alert;

import io.lossprism.alert.rules.BatchObservation;
import io.lossprism.alert.rules.ClassObservation;
import io.lossprism.bus.BatchReport;
import java.util.List;

/** Reads what the alert rules need out of a batch report. */
final class Observations {

    private Observations() {}

    static BatchObservation of(BatchReport report) {
        List<ClassObservation> classes = report.classes().stream()
                .map(c -> new ClassObservation(c.name(), c.loss(), c.meanPositiveLoss(), c.iou(), c.fp() + c.fn()))
                .toList();
        return new BatchObservation(
                report.split(), report.iteration(), report.loss(), report.meanPositiveLoss(), classes);
    }
}
