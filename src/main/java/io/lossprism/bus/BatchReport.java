package io.lossprism.bus;

import io.lossprism.objective.Objective;
import java.util.List;
import java.util.Objects;

/**
 * What one batch's loss is made of. Immutable; {@link #VERSION} changes when a field changes meaning.
 *
 * @param runId           the run the batch belongs to: a DL4J run the server trains, or an external one
 * @param split           "train" or "validation"
 * @param iteration       1-based count of training iterations over the whole run
 * @param loss            the aggregate recomputed in double: exactly the sum of the class terms
 * @param reportedLoss    the score the framework itself reported for the batch (float32 arithmetic)
 * @param meanElementLoss the same loss as a mean over every pixel and class (Keras/PyTorch's number)
 * @param convention      the framework convention {@code loss} follows, e.g. "dl4j"
 * @param lossSpec        the loss trained and decomposed (family, weights, parameters); null when unknown
 */
public record BatchReport(
        String runId,
        int version,
        String split,
        int epoch,
        long iteration,
        long timestamp,
        int images,
        String convention,
        double loss,
        double reportedLoss,
        double meanElementLoss,
        double imagesPerSecond,
        List<ClassReport> classes,
        Objective lossSpec) {

    public static final int VERSION = 1;

    public BatchReport {
        Objects.requireNonNull(runId, "runId");
        classes = List.copyOf(classes);
    }

    /** A report that does not say which loss it decomposes. */
    public BatchReport(
            String runId,
            int version,
            String split,
            int epoch,
            long iteration,
            long timestamp,
            int images,
            String convention,
            double loss,
            double reportedLoss,
            double meanElementLoss,
            double imagesPerSecond,
            List<ClassReport> classes) {
        this(
                runId,
                version,
                split,
                epoch,
                iteration,
                timestamp,
                images,
                convention,
                loss,
                reportedLoss,
                meanElementLoss,
                imagesPerSecond,
                classes,
                null);
    }

    /** Mean cross-entropy over the positive pixels of all classes; NaN when no class is present. */
    public double meanPositiveLoss() {
        double sum = 0;
        long positives = 0;
        for (ClassReport c : classes) {
            long classPositives = c.tp() + c.fn();
            if (classPositives > 0) {
                sum += c.meanPositiveLoss() * classPositives;
                positives += classPositives;
            }
        }
        return positives == 0 ? Double.NaN : sum / positives;
    }

    /** Pixels wrongly classified (FP + FN) over all classes. */
    public long errors() {
        return classes.stream().mapToLong(c -> c.fp() + c.fn()).sum();
    }

    /** The framework's score minus our recomputation: float32 rounding, and regularisation if any. */
    public double residual() {
        return reportedLoss - loss;
    }
}
