package io.lossprism.training.losses;

import io.lossprism.config.LossConfig;
import io.lossprism.config.TrainingConfig;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.lossprism.loss.LossSpec.DiceMode;
import io.lossprism.objective.Objective;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/**
 * From a training configuration to the one objective it trains, and from that objective to the DL4J
 * loss function that computes it: the network and the decomposition read the same specification.
 */
public final class Losses {

    private Losses() {}

    /**
     * The objective of {@code training.loss} and its keys. bce_dice without explicit weights weighs its
     * cross-entropy part by 1/(C*H*W): the mean over elements that Keras and PyTorch report, plus Dice.
     */
    public static Objective objective(TrainingConfig training) {
        LossConfig loss = training.loss();
        LossFunction function = LossFunction.parse(loss.function());
        double crossEntropyWeight = 1;
        double diceWeight = 1;
        if (function == LossFunction.BCE_DICE) {
            List<Double> weights = loss.bceDiceWeights();
            crossEntropyWeight = weights.isEmpty()
                    ? 1.0 / ((double) training.classCount() * training.imageSize() * training.imageSize())
                    : weights.get(0);
            diceWeight = weights.isEmpty() ? 1 : weights.get(1);
        }
        return Objective.dl4j(
                function,
                array(training.classWeights()),
                array(loss.posWeight()),
                loss.focalGamma(),
                loss.focalAlpha(),
                diceMode(loss.dice()),
                loss.diceSmooth(),
                crossEntropyWeight,
                diceWeight);
    }

    /**
     * The DL4J loss function of a CnnLossLayer with a sigmoid activation that trains {@code objective}.
     * Plain (class-weighted) BCE is DL4J's own LossBinaryXENT, as before remedies existed; the rest are
     * LossPrism's, computed from the same objective.
     *
     * @param positionsPerImage pixels per image (H*W), which a Dice part needs to report 1 - D
     */
    public static ILossFunction forDl4j(Objective objective, int positionsPerImage) {
        LossSpec spec = objective.spec();
        double[] weights = spec.classWeights();
        return switch (objective.function()) {
            case BCE ->
                objective.hasPosWeights()
                        ? new LossPosWeightXent(weights, spec.posWeights())
                        : new LossBinaryXENT(
                                Objective.DL4J_CLIP_EPSILON,
                                uniform(weights) ? null : Nd4j.create(weights, 1, weights.length));
            case FOCAL ->
                new LossFocal(
                        weights, spec.posWeights(), spec.gamma(), Double.isNaN(spec.alpha()) ? null : spec.alpha());
            case DICE -> new LossDice(label(spec.dice()), spec.smooth(), positionsPerImage);
            case BCE_DICE ->
                new LossBceDice(
                        weights,
                        spec.posWeights(),
                        label(spec.dice()),
                        spec.smooth(),
                        objective.crossEntropyWeight(),
                        objective.diceWeight(),
                        positionsPerImage);
            case CCE -> throw new IllegalArgumentException("cce is not a training objective");
        };
    }

    static DiceMode diceMode(String text) {
        return switch (String.valueOf(text)) {
            case "micro" -> DiceMode.MICRO;
            case "macro" -> DiceMode.MACRO;
            default -> throw new IllegalArgumentException("Dice mode must be micro or macro, got " + text);
        };
    }

    static String label(DiceMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    static void requireClasses(int configured, int given, Object loss) {
        if (configured != given) {
            throw new IllegalArgumentException(
                    loss + " has weights for " + configured + " classes, the output has " + given);
        }
    }

    /** Images in a batch of CnnLossLayer rows. */
    static int items(long rows, int positionsPerImage, Object loss) {
        if (rows % positionsPerImage != 0) {
            throw new IllegalArgumentException(
                    loss + ": " + rows + " rows are not whole images of " + positionsPerImage + " positions");
        }
        return (int) (rows / positionsPerImage);
    }

    private static boolean uniform(double[] weights) {
        for (double w : weights) {
            if (w != 1) {
                return false;
            }
        }
        return true;
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
