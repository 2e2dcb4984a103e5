package io.lossprism.loss;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a framework computes and reduces a loss: where it clips probabilities, and what it divides the
 * sum of per-element losses by. The decomposition's aggregate equals the number that framework reports.
 *
 * <table>
 *   <caption>Per-element cross-entropy and reduction</caption>
 *   <tr><th></th><th>probabilities</th><th>logits</th><th>divisor (BCE, focal)</th><th>divisor (CCE)</th></tr>
 *   <tr><td>keras</td><td>clip p to [1e-7, 1 - 1e-7]</td><td>exact</td><td>N*P*C</td><td>N*P</td></tr>
 *   <tr><td>torch</td><td>ln clamped at -100</td><td>exact</td><td>N*P*C</td>
 *       <td>N*P, or the sum of target weights with index labels</td></tr>
 *   <tr><td>dl4j</td><td>clip p to [1e-5, 1 - 1e-5] (CCE: 1e-10)</td><td>same clip after the activation</td>
 *       <td>N</td><td>N</td></tr>
 * </table>
 * N = items in the batch, P = positions per item, C = classes.
 */
public enum Convention {
    KERAS(1e-7, 1e-7),
    TORCH(0, 0),
    DL4J(1e-5, 1e-10);

    /** PyTorch's BCELoss clamps each logarithm at -100. */
    private static final double TORCH_LOG_FLOOR = -100;

    private final double binaryEps;
    private final double categoricalEps;
    private final double minLogit;
    private final double maxLogit;

    Convention(double binaryEps, double categoricalEps) {
        this.binaryEps = binaryEps;
        this.categoricalEps = categoricalEps;
        this.minLogit = binaryEps > 0 ? Math.log(binaryEps / (1 - binaryEps)) : Double.NEGATIVE_INFINITY;
        this.maxLogit = -minLogit;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Convention parse(String text) {
        for (Convention c : values()) {
            if (c.label().equals(text)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown convention '" + text + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Convention::label).toList()));
    }

    /**
     * Binary cross-entropy of a logit z for target y, the positive term multiplied by posWeight.
     * Keras and PyTorch compute it exactly; DL4J clips the sigmoid, which equals clamping z.
     */
    double bceFromLogit(double y, double z, double posWeight) {
        double zc = clampLogit(z);
        if (y == 0) {
            return softplus(zc);
        }
        double positive = posWeight * softplus(-zc);
        return y == 1 ? positive : y * positive + (1 - y) * softplus(zc);
    }

    /** The logit whose sigmoid the framework would use: DL4J clips the probability, the others do not. */
    double clampLogit(double z) {
        return this == DL4J ? Math.max(minLogit, Math.min(maxLogit, z)) : z;
    }

    /** Binary cross-entropy of a probability p for target y, with this framework's clipping. */
    double bceFromProbability(double y, double p, double posWeight) {
        double lnP;
        double lnQ;
        if (this == TORCH) {
            lnP = y == 0 ? 0 : Math.max(Math.log(p), TORCH_LOG_FLOOR);
            lnQ = y == 1 ? 0 : Math.max(Math.log(1 - p), TORCH_LOG_FLOOR);
        } else {
            double pc = Math.max(binaryEps, Math.min(1 - binaryEps, p));
            lnP = y == 0 ? 0 : Math.log(pc);
            lnQ = y == 1 ? 0 : Math.log(1 - pc);
        }
        return -(posWeight * y * lnP + (1 - y) * lnQ);
    }

    /**
     * Keras' focal loss applies the sigmoid first and then the clipped probability form even for
     * logits; PyTorch (torchvision) uses the exact logit form.
     */
    boolean focalUsesProbabilities() {
        return this == KERAS;
    }

    /**
     * -ln p for a class probability of a categorical cross-entropy, clipped as the framework does:
     * Keras always, DL4J only the output of its softmax (given probabilities, it takes their log as is).
     */
    double categoricalLog(double p, boolean fromSoftmax) {
        if (this == TORCH) {
            return -Math.max(Math.log(p), TORCH_LOG_FLOOR);
        }
        if (this == DL4J && !fromSoftmax) {
            return -Math.log(p);
        }
        return -Math.log(Math.max(categoricalEps, Math.min(1 - categoricalEps, p)));
    }

    /** Keras renormalises probabilities over the class axis before its categorical cross-entropy. */
    boolean renormalisesProbabilities() {
        return this == KERAS;
    }

    /** DL4J clips softmax outputs even when they come from logits. */
    boolean clipsSoftmax() {
        return this == DL4J;
    }

    /** What the sum of weighted per-element sigmoid losses is divided by. */
    double sigmoidDivisor(BatchShape s) {
        return this == DL4J ? s.batch() : (double) s.elements();
    }

    /** What the sum of per-position categorical losses is divided by (before target weights). */
    double categoricalDivisor(BatchShape s) {
        return this == DL4J ? s.batch() : (double) s.pixelsPerClass();
    }

    /** ln(1 + e^x), stable for any x. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
