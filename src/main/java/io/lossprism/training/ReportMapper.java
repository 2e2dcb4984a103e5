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

    static final String CONVENTION = "dl4j";

    private final List<String> classNames;

    ReportMapper(List<String> classNames) {
        this.classNames = List.copyOf(classNames);
    }

    BatchReport toReport(Split split, StepResult step, int images, double imagesPerSecond, long timestamp) {
        Decomposition d = step.decomposition();
        List<ClassReport> classes = new ArrayList<>(d.classes().size());
        for (ClassBreakdown c : d.classes()) {
            classes.add(ClassReport.of(c, classNames.get(c.index())));
        }
        return new BatchReport(BatchReport.VERSION, split.label(), step.epoch(), step.iteration(), timestamp,
                images, CONVENTION, d.loss(), step.reportedLoss(), d.meanElementLoss(), imagesPerSecond, classes);
    }
}
