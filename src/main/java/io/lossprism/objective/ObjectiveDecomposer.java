package io.lossprism.objective;

import io.lossprism.loss.BatchShape;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Decomposer;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * Decomposes batches under a training objective, with the same specification the network trains
 * with. One family is one {@link Decomposer}; bce_dice is the weighted sum of a bce and a Dice
 * decomposition, class by class and part by part (positive and negative pixels), so its class terms
 * still add up to the loss. Confusion counts, prevalence and the mean cross-entropies per pixel come
 * from the cross-entropy part. One instance serves batches of one shape; calls are serialised.
 */
public final class ObjectiveDecomposer {

    private final Objective objective;
    private final Decomposer first;
    private final Decomposer dice;

    public ObjectiveDecomposer(BatchShape shape, Layout layout, Objective objective) {
        this.objective = objective;
        boolean composite = objective.hasCrossEntropy() && objective.hasDice();
        this.first = new Decomposer(shape, layout, composite ? objective.crossEntropyPart() : objective.spec());
        this.dice = composite ? new Decomposer(shape, layout, objective.dicePart()) : null;
    }

    public Objective objective() {
        return objective;
    }

    public BatchShape shape() {
        return first.shape();
    }

    /** @param truth targets, @param logits network outputs before the sigmoid, both in the layout given */
    public synchronized Decomposition decompose(float[] truth, float[] logits) {
        Decomposition d = first.decompose(truth, logits);
        return dice == null ? d : combine(d, dice.decompose(truth, logits));
    }

    public synchronized Decomposition decompose(double[] truth, double[] logits) {
        Decomposition d = first.decompose(truth, logits);
        return dice == null ? d : combine(d, dice.decompose(truth, logits));
    }

    private Decomposition combine(Decomposition crossEntropy, Decomposition diceLoss) {
        double a = objective.crossEntropyWeight();
        double b = objective.diceWeight();
        List<ClassBreakdown> classes = new ArrayList<>(crossEntropy.classes().size());
        double total = 0;
        for (int c = 0; c < crossEntropy.classes().size(); c++) {
            ClassBreakdown x = crossEntropy.classes().get(c);
            ClassBreakdown d = diceLoss.classes().get(c);
            double positive = a * x.positiveLoss() + b * d.positiveLoss();
            double negative = a * x.negativeLoss() + b * d.negativeLoss();
            total += positive + negative;
            classes.add(new ClassBreakdown(
                    x.index(),
                    positive + negative,
                    positive,
                    negative,
                    x.meanPositiveLoss(),
                    x.meanNegativeLoss(),
                    x.prevalence(),
                    x.counts(),
                    x.state()));
        }
        return new Decomposition(total, crossEntropy.meanElementLoss(), classes, crossEntropy.iou());
    }
}
