package io.lossprism.training;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.data.Split;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Decomposition;
import java.util.ArrayList;
import java.util.List;

/** Turns a step's decomposition into the event-bus message, naming each class. */
final class ReportMapper {

    private final List<String> classNames;
    private final String convention;

    /** @param convention the convention the decompositions follow, as its label (e.g. "dl4j") */
    ReportMapper(List<String> classNames, String convention) {
        this.classNames = List.copyOf(classNames);
        this.convention = convention;
    }

    BatchReport toReport(Split split, StepResult step, int images, double imagesPerSecond, long timestamp) {
        Decomposition d = step.decomposition();
        List<ClassReport> classes = new ArrayList<>(d.classes().size());
        for (ClassBreakdown c : d.classes()) {
            classes.add(ClassReport.of(c, classNames.get(c.index())));
        }
        return new BatchReport(BatchReport.VERSION, split.label(), step.epoch(), step.iteration(), timestamp,
                images, convention, d.loss(), step.reportedLoss(), d.meanElementLoss(), imagesPerSecond, classes);
    }
}
