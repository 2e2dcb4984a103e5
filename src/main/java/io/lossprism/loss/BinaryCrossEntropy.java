package io.lossprism.loss;

/**
 * Binary cross-entropy of a logit against a target in [0, 1], with the probability clipped to
 * [eps, 1 - eps] as DL4J and Keras do before taking the logarithm.
 *
 * <p>Clipping the probability equals clamping the logit to [logit(eps), logit(1 - eps)]; the loss is
 * then computed as softplus, which needs one exp and one log1p and never overflows.
 */
public final class BinaryCrossEntropy {

    private final double minLogit;
    private final double maxLogit;

    public BinaryCrossEntropy(double eps) {
        if (!(eps > 0 && eps < 0.5)) {
            throw new IllegalArgumentException("eps must be in (0, 0.5), got " + eps);
        }
        this.minLogit = Math.log(eps / (1 - eps));
        this.maxLogit = -minLogit;
    }

    /** Loss of logit {@code z} for target {@code y}: -(y ln p + (1 - y) ln(1 - p)), p = clip(sigmoid(z)). */
    public double loss(double y, double z) {
        double clamped = Math.max(minLogit, Math.min(maxLogit, z));
        if (y == 1) {
            return softplus(-clamped);
        }
        if (y == 0) {
            return softplus(clamped);
        }
        return y * softplus(-clamped) + (1 - y) * softplus(clamped);
    }

    /** ln(1 + e^x), stable for any x. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
