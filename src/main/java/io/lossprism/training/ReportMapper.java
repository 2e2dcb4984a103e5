package io.lossprism.training;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.data.Split;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.ConfusionCounts;
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
            ConfusionCounts n = c.counts();
            classes.add(new ClassReport(c.index(), classNames.get(c.index()), c.loss(), c.positiveLoss(),
                    c.negativeLoss(), c.meanPositiveLoss(), c.meanNegativeLoss(), c.prevalence(),
                    n.tp(), n.fp(), n.fn(), n.tn(), n.iou(), n.dice(), n.precision(), n.recall()));
        }
        return new BatchReport(BatchReport.VERSION, split.label(), step.epoch(), step.iteration(), timestamp,
                images, CONVENTION, d.loss(), step.reportedLoss(), d.meanElementLoss(), imagesPerSecond, classes);
    }
}
