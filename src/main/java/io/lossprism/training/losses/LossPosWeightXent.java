package io.lossprism.training.losses;

import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec.DiceMode;
import io.lossprism.objective.Objective;
import java.util.Arrays;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Binary cross-entropy with PyTorch's pos_weight, which DL4J's LossBinaryXENT lacks: per element
 * {@code w_c [q_c y (-ln p) + (1 - y) (-ln(1 - p))]}, p = sigmoid(z) clipped to [1e-5, 1 - 1e-5] as
 * LossBinaryXENT clips it. With every q_c = 1 it is LossBinaryXENT's score, summed over rows.
 */
public final class LossPosWeightXent extends SigmoidObjectiveLoss {

    private static final long serialVersionUID = 1L;

    @JsonProperty
    private final double[] classWeights;

    @JsonProperty
    private final double[] posWeights;

    @JsonCreator
    public LossPosWeightXent(
            @JsonProperty("classWeights") double[] classWeights, @JsonProperty("posWeights") double[] posWeights) {
        this.classWeights = classWeights.clone();
        this.posWeights = posWeights.clone();
        objective(classWeights.length); // validates the weights now, not at the first batch
    }

    @Override
    public Objective objective(int classes) {
        Losses.requireClasses(classWeights.length, classes, this);
        return Objective.dl4j(LossFunction.BCE, classWeights, posWeights, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossPosWeightXent x
                && Arrays.equals(classWeights, x.classWeights)
                && Arrays.equals(posWeights, x.posWeights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(classWeights) + Arrays.hashCode(posWeights);
    }

    @Override
    public String toString() {
        return "LossPosWeightXent(classWeights=" + Arrays.toString(classWeights) + ", posWeights="
                + Arrays.toString(posWeights) + ")";
    }
}
