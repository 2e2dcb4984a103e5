package io.lossprism.training;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.data.Split;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Decomposition;
import io.lossprism.objective.Objective;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a step's decomposition into the event-bus message, naming each class. The report's convention is the
 * loss specification's, the one its decompositions were computed with: taken from the spec, never given apart.
 */
final class ReportMapper {

    private final String runId;
    private final List<String> classNames;
    private final Objective objective;

    /**
     * @param runId     the run the reports belong to
     * @param objective the loss trained, whose convention and parameters the decompositions follow
     */
    ReportMapper(String runId, List<String> classNames, Objective objective) {
        this.runId = runId;
        this.classNames = List.copyOf(classNames);
        this.objective = objective;
    }

    BatchReport toReport(Split split, StepResult step, int images, double imagesPerSecond, long timestamp) {
        Decomposition d = step.decomposition();
        List<ClassReport> classes = new ArrayList<>(d.classes().size());
        for (ClassBreakdown c : d.classes()) {
            classes.add(ClassReport.of(c, classNames.get(c.index())));
        }
        return new BatchReport(
                runId,
                BatchReport.VERSION,
                split.label(),
                step.epoch(),
                step.iteration(),
                timestamp,
                images,
                objective.spec().convention().label(),
                d.loss(),
                step.reportedLoss(),
                d.meanElementLoss(),
                imagesPerSecond,
                classes,
                objective);
    }
}
