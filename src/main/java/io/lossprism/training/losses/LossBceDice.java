package io.lossprism.training.losses;

import io.lossprism.loss.LossFunction;
import io.lossprism.objective.Objective;
import java.util.Arrays;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Weighted binary cross-entropy plus Dice, which DL4J does not have:
 * {@code bceWeight * sum(w_c BCE) / N + diceWeight * (1 - D)}, the BCE part as {@link LossPosWeightXent},
 * the Dice part as {@link LossDice}. The score is N times that, so that DL4J's division by N reports it.
 */
public final class LossBceDice extends SigmoidObjectiveLoss {

    private static final long serialVersionUID = 1L;

    @JsonProperty
    private final double[] classWeights;

    @JsonProperty
    private final double[] posWeights;

    @JsonProperty
    private final String mode;

    @JsonProperty
    private final double smooth;

    @JsonProperty
    private final double bceWeight;

    @JsonProperty
    private final double diceWeight;

    @JsonProperty
    private final int positionsPerImage;

    @JsonCreator
    public LossBceDice(
            @JsonProperty("classWeights") double[] classWeights,
            @JsonProperty("posWeights") double[] posWeights,
            @JsonProperty("mode") String mode,
            @JsonProperty("smooth") double smooth,
            @JsonProperty("bceWeight") double bceWeight,
            @JsonProperty("diceWeight") double diceWeight,
            @JsonProperty("positionsPerImage") int positionsPerImage) {
        this.classWeights = classWeights.clone();
        this.posWeights = posWeights.clone();
        this.mode = Losses.label(Losses.diceMode(mode));
        this.smooth = smooth;
        this.bceWeight = bceWeight;
        this.diceWeight = diceWeight;
        this.positionsPerImage = Losses.positive(positionsPerImage, "positionsPerImage");
        objective(classWeights.length);
    }

    @Override
    public Objective objective(int classes) {
        Losses.requireClasses(classWeights.length, classes, this);
        return Objective.dl4j(
                LossFunction.BCE_DICE,
                classWeights,
                posWeights,
                2,
                Double.NaN,
                Losses.diceMode(mode),
                smooth,
                bceWeight,
                diceWeight);
    }

    @Override
    int items(long rows) {
        return Losses.items(rows, positionsPerImage, this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossBceDice d
                && Arrays.equals(classWeights, d.classWeights)
                && Arrays.equals(posWeights, d.posWeights)
                && mode.equals(d.mode)
                && Double.compare(smooth, d.smooth) == 0
                && Double.compare(bceWeight, d.bceWeight) == 0
                && Double.compare(diceWeight, d.diceWeight) == 0
                && positionsPerImage == d.positionsPerImage;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(classWeights),
                Arrays.hashCode(posWeights),
                mode,
                smooth,
                bceWeight,
                diceWeight,
                positionsPerImage);
    }

    @Override
    public String toString() {
        return "LossBceDice(" + bceWeight + " x bce + " + diceWeight + " x dice " + mode + ", smooth=" + smooth
                + ", classWeights=" + Arrays.toString(classWeights) + ", posWeights=" + Arrays.toString(posWeights)
                + ", positionsPerImage=" + positionsPerImage + ")";
    }
}
