package io.lossprism.loss;

import java.util.Arrays;
import java.util.Locale;

/** The loss families LossPrism decomposes. */
public enum LossFunction {
    /** Binary cross-entropy per class (sigmoid outputs, multi-label). */
    BCE,
    /** Binary focal loss: BCE scaled by (1 - p_t)^gamma and optionally by alpha_t. */
    FOCAL,
    /** Soft Dice loss, micro (all classes pooled) or macro (per class, then mean). */
    DICE,
    /** BCE plus Dice loss, as in the seed question's bce_dice_loss. */
    BCE_DICE,
    /** Softmax categorical cross-entropy (one class per pixel). */
    CCE;

    /** Name on the command line and in JSON: bce, focal, dice, bce_dice, cce. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean sigmoid() {
        return this != CCE;
    }

    boolean hasCrossEntropy() {
        return this == BCE || this == FOCAL || this == BCE_DICE;
    }

    boolean hasDice() {
        return this == DICE || this == BCE_DICE;
    }

    public static LossFunction parse(String text) {
        for (LossFunction f : values()) {
            if (f.label().equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + text + "'; known: "
                + String.join(
                        ", ", Arrays.stream(values()).map(LossFunction::label).toList()));
    }
}
