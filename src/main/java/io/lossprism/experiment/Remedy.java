package io.lossprism.experiment;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * One loss configuration to try.
 *
 * @param label     the loss configuration as the table shows it
 * @param overrides the configuration keys that make it, {@code key=value}
 */
public record Remedy(String label, List<String> overrides) {

    public Remedy {
        overrides = List.copyOf(overrides);
    }

    /**
     * The remedies a practitioner reaches for when one class vanishes in the mean, with the parameters
     * they would pick from the class balance of the training data:
     * <ul>
     *   <li>bce: the baseline (DL4J's LossBinaryXENT);</li>
     *   <li>class weights by median frequency balancing;</li>
     *   <li>pos_weight = negative / positive pixels per class (PyTorch's documented recipe);</li>
     *   <li>focal loss with the paper's and torchvision's defaults, gamma 2, alpha 0.25;</li>
     *   <li>Dice, micro (the seed question's dice_coef, smooth 1) and macro (each class counts equally);</li>
     *   <li>BCE + Dice as the seed question's bce_dice_loss (mean BCE + micro Dice), and with macro Dice.</li>
     * </ul>
     */
    public static List<Remedy> practitioners(ClassBalance balance) {
        List<Remedy> remedies = new ArrayList<>();
        remedies.add(new Remedy("bce", List.of()));
        String weights = list(balance.medianFrequencyWeights());
        remedies.add(new Remedy(
                "bce, classWeights=" + weights + " (median frequency)", List.of("training.classWeights=" + weights)));
        String posWeights = list(balance.negativeToPositive());
        remedies.add(new Remedy(
                "bce, posWeight=" + posWeights + " (neg/pos pixels)", List.of("training.posWeight=" + posWeights)));
        remedies.add(new Remedy(
                "focal, gamma 2, alpha 0.25",
                List.of("training.loss=focal", "training.focalGamma=2", "training.focalAlpha=0.25")));
        remedies.add(new Remedy("dice micro, smooth 1", List.of("training.loss=dice", "training.dice=micro")));
        remedies.add(new Remedy("dice macro, smooth 1", List.of("training.loss=dice", "training.dice=macro")));
        remedies.add(
                new Remedy("bce_dice micro, [1/(C*H*W), 1]", List.of("training.loss=bce_dice", "training.dice=micro")));
        remedies.add(
                new Remedy("bce_dice macro, [1/(C*H*W), 1]", List.of("training.loss=bce_dice", "training.dice=macro")));
        return remedies;
    }

    /** A YAML list of numbers with 3 significant digits, e.g. [1.02, 0.998, 25.4]. */
    static String list(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(significant(v));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static String significant(double value) {
        return new BigDecimal(value)
                .round(new MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }
}
