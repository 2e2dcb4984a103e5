package io.lossprism.loss;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whose arithmetic a loss follows: how that framework computes each element (clip bounds, logarithms,
 * sigmoid, all in the precision it computes in), what it divides the sum of the elements by, and its
 * defaults for parameters the user leaves out. The decomposition's aggregate equals the number that
 * framework prints. {@code docs/conventions.md} maps each framework call to LossPrism's options.
 *
 * <table>
 *   <caption>Per-element binary cross-entropy and reduction</caption>
 *   <tr><th></th><th>probabilities</th><th>logits</th><th>divisor (BCE, focal)</th><th>divisor (CCE)</th></tr>
 *   <tr><td>keras, keras-jax</td><td>clip p to [1e-7, 1 - 1e-7], then ln p and ln(1 - p)</td>
 *       <td>exact</td><td>N*P*C</td><td>N*P</td></tr>
 *   <tr><td>keras-torch</td><td>clip as Keras, then PyTorch's ln p and ln1p(-p), each clamped at -100</td>
 *       <td>(1 - y) z - ln sigmoid(z)</td><td>N*P*C</td><td>N*P</td></tr>
 *   <tr><td>torch</td><td>ln p and ln1p(-p), each clamped at -100</td><td>(1 - y) z - ln sigmoid(z)</td>
 *       <td>N*P*C</td><td>N*P, or the sum of target weights with index labels</td></tr>
 *   <tr><td>dl4j</td><td>clip p to [1e-5, 1 - 1e-5] (CCE: 1e-10), then ln p and ln(1 - p)</td>
 *       <td>the same after its sigmoid</td><td>N</td><td>N</td></tr>
 * </table>
 * N = items in the batch, P = positions per item, C = classes. The Keras backends differ where their
 * code differs: on TensorFlow (keras) a focal loss from logits takes its cross-entropy from the logits
 * (the sigmoid output carries them), on JAX and torch it clips the sigmoid; on torch the logarithm of
 * {@code 1 - p} is PyTorch's {@code log1p}, exact for a small p where float32 {@code 1 - p} is not.
 */
public enum Convention {
    /** Keras 3 on TensorFlow, its default backend. */
    KERAS("keras", 1e-7, 1e-7),
    /** Keras 3 on PyTorch ({@code KERAS_BACKEND=torch}). */
    KERAS_TORCH("keras-torch", 1e-7, 1e-7),
    /** Keras 3 on JAX ({@code KERAS_BACKEND=jax}). */
    KERAS_JAX("keras-jax", 1e-7, 1e-7),
    /** PyTorch's own losses ({@code torch.nn}, torchvision's focal loss). */
    TORCH("torch", 0, 0),
    /** Deeplearning4j's {@code LossBinaryXENT} and {@code LossMCXENT}, as {@code CnnLossLayer} reduces them. */
    DL4J("dl4j", 1e-5, 1e-10);

    private final String label;
    private final double binaryEps;
    private final double categoricalEps;

    Convention(String label, double binaryEps, double categoricalEps) {
        this.label = label;
        this.binaryEps = binaryEps;
        this.categoricalEps = categoricalEps;
    }

    /** Name on the command line and in JSON: keras, keras-torch, keras-jax, torch, dl4j. */
    public String label() {
        return label;
    }

    /** A label, or {@code pytorch} for torch. */
    public static Convention parse(String text) {
        String key = text.toLowerCase(Locale.ROOT);
        if (key.equals("pytorch")) {
            return TORCH;
        }
        for (Convention c : values()) {
            if (c.label.equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown convention '" + text + "'; known: "
                + String.join(
                        ", ", Arrays.stream(values()).map(Convention::label).toList()));
    }

    /** Keras on any backend: its loss objects and reductions. */
    public boolean keras() {
        return this == KERAS || this == KERAS_TORCH || this == KERAS_JAX;
    }

    /**
     * The precision the framework computes in for arrays held in {@code arrays}: a Keras loss object
     * converts its inputs to its dtype, {@code keras.config.floatx()}, float32 unless changed; PyTorch
     * and DL4J compute in the dtype of the tensors they are given.
     */
    public Precision defaultPrecision(Precision arrays) {
        return keras() ? Precision.FLOAT32 : arrays;
    }

    /**
     * Focal alpha when none is given: torchvision's {@code sigmoid_focal_loss} weights positives by 0.25;
     * Keras' {@code BinaryFocalCrossentropy} applies its alpha only with {@code apply_class_balancing=True},
     * so none (NaN). DL4J has no focal loss; LossPrism's follows Keras.
     */
    public double defaultFocalAlpha() {
        return this == TORCH ? 0.25 : Double.NaN;
    }

    /** Focal gamma when none is given: 2 for Keras and torchvision alike. */
    public double defaultFocalGamma() {
        return 2.0;
    }

    /**
     * Dice smoothing (added to numerator and denominator) when none is given: Keras' {@code Dice()} has
     * none; PyTorch and DL4J have no Dice loss, and LossPrism's default is the common {@code dice_coef}
     * with smoothing 1.
     */
    public double defaultDiceSmooth() {
        return keras() ? 0 : 1;
    }

    /** Dice epsilon (denominator only) when none is given: Keras' {@code Dice()} adds 1e-7. */
    public double defaultDiceEpsilon() {
        return keras() ? 1e-7 : 0;
    }

    /** Lower clip bound of a binary probability, before rounding to the precision; 0 for none. */
    double binaryEps() {
        return binaryEps;
    }

    /** Lower clip bound of a categorical probability, before rounding to the precision; 0 for none. */
    double categoricalEps() {
        return categoricalEps;
    }

    /** What the sum of weighted per-element sigmoid losses is divided by. */
    double sigmoidDivisor(BatchShape s) {
        return this == DL4J ? s.batch() : (double) s.elements();
    }

    /** What the sum of per-position categorical losses is divided by (before target weights). */
    double categoricalDivisor(BatchShape s) {
        return this == DL4J ? s.batch() : (double) s.pixelsPerClass();
    }
}
