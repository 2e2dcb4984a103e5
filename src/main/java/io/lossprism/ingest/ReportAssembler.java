package io.lossprism.ingest;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.loss.ConfusionCounts;
import io.lossprism.loss.Convention;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one batch's per-class sums into the report a DL4J batch gives, with the arithmetic of
 * {@link io.lossprism.loss.Decomposer}'s last step: pure, no framework.
 *
 * <p>Cross-entropy parts: a class's positive and negative sums over the convention's divisor (keras and
 * torch: every element of every class, N*P*C, or N*P for cce; dl4j: N, the images). Dice parts
 * (1 - D split exactly by class): micro {@code (U_c - 2 I_c + e/C) / (U + s + e)}, macro
 * {@code (U_c - 2 I_c + e) / (C (U_c + s + e))}, with {@code U_c = truthSum + predictionSum}; the
 * positive part is {@code truthSum - I_c} (1 - p over the positives) and the negative part
 * {@code predictionSum - I_c} (p over the negatives) plus the epsilon's share, exact for binary targets.
 * bce_dice weighs the two parts. IoU, Dice, precision and recall come from the counts, prevalence is
 * positives over elements, and the residual is the reported loss minus the sum of the class terms.
 */
public final class ReportAssembler {

    private final String runId;
    private final List<String> classNames;
    private final IngestLoss loss;
    private final double[] classWeights;

    public ReportAssembler(String runId, List<String> classNames, IngestLoss loss) {
        if (classNames.size() != loss.spec().classes()) {
            throw new IllegalArgumentException(classNames.size() + " class names for a loss of "
                    + loss.spec().classes() + " classes");
        }
        this.runId = runId;
        this.classNames = List.copyOf(classNames);
        this.loss = loss;
        this.classWeights = loss.spec().classWeights();
    }

    /** @param timestamp epoch milliseconds the report carries */
    public BatchReport assemble(BatchRecord record, long timestamp) {
        int classCount = classNames.size();
        List<ClassSums> sums = record.classes();
        if (sums.size() != classCount) {
            throw new IllegalArgumentException("expected " + classCount + " classes, got " + sums.size());
        }
        LossSpec spec = loss.spec();
        Convention convention = spec.convention();
        boolean categorical = spec.function() == LossFunction.CCE;
        long perClass = sums.get(0).elements();
        // what the framework divides the sum of all element losses by, and the elements a mean is over
        double elements = categorical ? perClass : (double) perClass * classCount;
        double divisor = convention == Convention.DL4J ? record.images() : elements;
        double epsilon = spec.diceEpsilon();
        double smooth = spec.smooth();
        double pooledUnion = smooth + epsilon;
        for (ClassSums c : sums) {
            pooledUnion += loss.hasDice() ? c.truthSum() + c.predictionSum() : 0;
        }
        boolean micro = spec.dice() == LossSpec.DiceMode.MICRO;

        List<ClassReport> classes = new ArrayList<>(classCount);
        double total = 0;
        double crossEntropySum = 0;
        for (int i = 0; i < classCount; i++) {
            ClassSums c = sums.get(i);
            double positive = 0;
            double negative = 0;
            if (loss.hasCrossEntropy()) {
                positive += loss.crossEntropyWeight() * c.positiveLoss() / divisor;
                negative += loss.crossEntropyWeight() * c.negativeLoss() / divisor;
                crossEntropySum += c.positiveLoss() + c.negativeLoss();
            }
            if (loss.hasDice()) {
                double union = c.truthSum() + c.predictionSum();
                double denominator = micro ? pooledUnion : classCount * (union + smooth + epsilon);
                double positiveMass = c.truthSum() - c.intersection();
                double negativeMass = c.predictionSum() - c.intersection() + (micro ? epsilon / classCount : epsilon);
                positive += loss.diceWeight() * positiveMass / denominator;
                negative += loss.diceWeight() * negativeMass / denominator;
            }
            double term = positive + negative;
            total += term;
            long negatives = c.elements() - c.positives();
            ConfusionCounts counts = new ConfusionCounts(c.tp(), c.fp(), c.fn(), c.tn());
            classes.add(new ClassReport(
                    i,
                    classNames.get(i),
                    term,
                    positive,
                    negative,
                    loss.hasCrossEntropy() ? mean(c.positiveLoss() / classWeights[i], c.positives()) : Double.NaN,
                    loss.hasCrossEntropy() ? mean(c.negativeLoss() / classWeights[i], negatives) : Double.NaN,
                    mean(c.positives(), c.elements()),
                    c.tp(),
                    c.fp(),
                    c.fn(),
                    c.tn(),
                    counts.iou(),
                    counts.dice(),
                    counts.precision(),
                    counts.recall()));
        }
        double meanElement = loss.hasCrossEntropy() ? crossEntropySum / elements : Double.NaN;
        return new BatchReport(
                runId,
                BatchReport.VERSION,
                record.split(),
                record.epoch(),
                record.step(),
                timestamp,
                record.images(),
                convention.label(),
                total,
                record.loss(),
                meanElement,
                Double.NaN,
                classes);
    }

    private static double mean(double sum, long count) {
        return count == 0 ? Double.NaN : sum / count;
    }
}
