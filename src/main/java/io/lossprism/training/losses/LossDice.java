package io.lossprism.training.losses;

import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.lossprism.objective.Objective;
import java.util.Objects;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Soft Dice loss over the whole batch, which DL4J does not have (its LossFMeasure takes at most two
 * outputs): micro {@code 1 - (2 sum y p + s) / (sum y + sum p + s)} with all classes pooled, or macro, the
 * mean over classes of the same per class; p = sigmoid(z), unclipped. Not a sum over rows: the score
 * is N (1 - D), so that DL4J's division by N reports 1 - D.
 */
public final class LossDice extends SigmoidObjectiveLoss {

    private static final long serialVersionUID = 1L;

    @JsonProperty
    private final String mode;

    @JsonProperty
    private final double smooth;

    @JsonProperty
    private final int positionsPerImage;

    /**
     * @param mode              micro or macro
     * @param positionsPerImage pixels per image (H*W): CnnLossLayer's rows per image
     */
    @JsonCreator
    public LossDice(
            @JsonProperty("mode") String mode,
            @JsonProperty("smooth") double smooth,
            @JsonProperty("positionsPerImage") int positionsPerImage) {
        this.mode = Losses.label(Losses.diceMode(mode));
        this.smooth = smooth;
        this.positionsPerImage = Losses.positive(positionsPerImage, "positionsPerImage");
        objective(1);
    }

    @Override
    public Objective objective(int classes) {
        return Objective.dl4j(
                LossFunction.DICE,
                LossSpec.ones(classes),
                LossSpec.ones(classes),
                2,
                Double.NaN,
                Losses.diceMode(mode),
                smooth,
                1,
                1);
    }

    @Override
    int items(long rows) {
        return Losses.items(rows, positionsPerImage, this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LossDice d
                && mode.equals(d.mode)
                && Double.compare(smooth, d.smooth) == 0
                && positionsPerImage == d.positionsPerImage;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, smooth, positionsPerImage);
    }

    @Override
    public String toString() {
        return "LossDice(" + mode + ", smooth=" + smooth + ", positionsPerImage=" + positionsPerImage + ")";
    }
}
