package io.lossprism.training.losses;

import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec.DiceMode;
import io.lossprism.objective.Objective;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Binary focal loss (Lin et al.), which DL4J does not have: per element
 * {@code w_c alpha_t (1 - p_t)^gamma BCE}, the BCE with pos_weight and DL4J's clip, p_t the unclipped
 * probability of the true label, alpha_t = alpha for positives and 1 - alpha for negatives (none: 1).
 */
public final class LossFocal extends SigmoidObjectiveLoss {

    private static final long serialVersionUID = 1L;

    @JsonProperty
    private final double[] classWeights;

    @JsonProperty
    private final double[] posWeights;

    @JsonProperty
    private final double gamma;
    /** Null for no balancing. */
    @JsonProperty
    private final Double alpha;

    @JsonCreator
    public LossFocal(
            @JsonProperty("classWeights") double[] classWeights,
            @JsonProperty("posWeights") double[] posWeights,
            @JsonProperty("gamma") double gamma,
            @JsonProperty("alpha") Double alpha) {
        this.classWeights = classWeights.clone();
        this.posWeights = posWeights.clone();
        this.gamma = gamma;
        this.alpha = alpha;
        objective(classWeights.length);
    }

    @Override
    public Objective objective(int classes) {
        Losses.requireClasses(classWeights.length, classes, this);
        return Objective.dl4j(
                LossFunction.FOCAL,
                classWeights,
                posWeights,
                gamma,
                alpha == null ? Double.NaN : alpha,
                DiceMode.MICRO,
                1,
                1,
                1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossFocal f
                && Arrays.equals(classWeights, f.classWeights)
                && Arrays.equals(posWeights, f.posWeights)
                && Double.compare(gamma, f.gamma) == 0
                && Objects.equals(alpha, f.alpha);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(classWeights), Arrays.hashCode(posWeights), gamma, alpha);
    }

    @Override
    public String toString() {
        return "LossFocal(gamma=" + gamma + ", alpha=" + (alpha == null ? "none" : alpha) + ", classWeights="
                + Arrays.toString(classWeights) + ", posWeights=" + Arrays.toString(posWeights) + ")";
    }
}
