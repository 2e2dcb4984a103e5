package io.lossprism.objective;

import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec.DiceMode;
import java.util.Arrays;

/**
 * The value of an {@link Objective} on a batch of logits, and its exact gradient with respect to them,
 * in double precision: what the DL4J loss functions compute, with no DL4J in it.
 *
 * <p>Arrays are rows x classes with the class index fastest (DL4J's CnnLossLayer hands its loss
 * function the N*H*W positions as rows). Per element, with p = sigmoid(z):
 * <ul>
 *   <li>cross-entropy {@code B = q_c y softplus(-z~) + (1 - y) softplus(z~)}, z~ = z clamped where
 *       DL4J clips p to [1e-5, 1 - 1e-5] (so its derivative is 0 beyond the clip);</li>
 *   <li>focal {@code F B} with {@code F = alpha_t u^gamma}, u = 1 - p_t = y (1 - p) + (1 - y) p from the
 *       unclipped probability, as the decomposition defines it;</li>
 *   <li>Dice over the whole batch: micro {@code (U - 2I) / (U + s)} with I = sum y p and U = sum y + sum p,
 *       macro the mean over classes of the same per class.</li>
 * </ul>
 * The loss is {@code a sum(w_c m CE) / N + b (1 - D)} (a = b = 1 outside bce_dice), m the mask.
 * Stateless apart from its parameters; safe to share between threads.
 */
public final class ObjectiveFunction {

    private final Objective objective;
    private final double[] classWeights;
    private final double[] posWeights;
    private final boolean focal;
    private final double gamma;
    private final double alpha;
    private final boolean macro;
    private final double smooth;
    private final double maxLogit;

    public ObjectiveFunction(Objective objective) {
        this.objective = objective;
        this.classWeights = objective.spec().classWeights();
        this.posWeights = objective.spec().posWeights();
        this.focal = objective.function() == LossFunction.FOCAL;
        this.gamma = objective.spec().gamma();
        this.alpha = objective.spec().alpha();
        this.macro = objective.spec().dice() == DiceMode.MACRO;
        this.smooth = objective.spec().smooth();
        this.maxLogit = Math.log((1 - Objective.DL4J_CLIP_EPSILON) / Objective.DL4J_CLIP_EPSILON);
    }

    public Objective objective() {
        return objective;
    }

    /**
     * @param labels    targets in [0, 1], rows x classes
     * @param logits    pre-sigmoid outputs, same shape
     * @param mask      null; one weight per row; or one per element: multiplies each element's part
     *                  (and, for Dice, its weight in the sums)
     * @param items     images in the batch, N
     * @param gradient  null, or receives dL/dz (same length as the logits)
     * @param rowScores null, or receives each row's part of L; they add up to L
     * @return the loss L in the dl4j convention
     */
    public double evaluate(
            double[] labels, double[] logits, double[] mask, int items, double[] gradient, double[] rowScores) {
        int classes = classWeights.length;
        if (labels.length != logits.length || labels.length % classes != 0) {
            throw new IllegalArgumentException("expected labels and logits of rows x " + classes + " values, got "
                    + labels.length + " and " + logits.length);
        }
        int rows = labels.length / classes;
        if (mask != null && mask.length != rows && mask.length != labels.length) {
            throw new IllegalArgumentException("a mask has one value per row (" + rows + ") or per element ("
                    + labels.length + "), got " + mask.length);
        }
        if (gradient != null) {
            Arrays.fill(gradient, 0);
        }
        if (rowScores != null) {
            Arrays.fill(rowScores, 0);
        }
        double loss = 0;
        if (objective.hasCrossEntropy()) {
            loss += crossEntropy(labels, logits, mask, objective.crossEntropyWeight() / items, gradient, rowScores);
        }
        if (objective.hasDice()) {
            loss += dice(labels, logits, mask, objective.diceWeight(), gradient, rowScores);
        }
        return loss;
    }

    private double crossEntropy(
            double[] labels, double[] logits, double[] mask, double scale, double[] gradient, double[] rowScores) {
        int classes = classWeights.length;
        double total = 0;
        for (int e = 0; e < labels.length; e++) {
            int c = e % classes;
            double m = maskAt(mask, e, labels.length, classes);
            if (m == 0) {
                continue;
            }
            double y = labels[e];
            double z = logits[e];
            double weight = scale * m * classWeights[c];
            double b = bce(y, z, posWeights[c]);
            double value;
            double derivative = 0;
            if (focal) {
                double u = y * sigmoid(-z) + (1 - y) * sigmoid(z); // 1 - p_t, without cancellation
                double balance = Double.isNaN(alpha) ? 1 : y * alpha + (1 - y) * (1 - alpha);
                double factor = balance * power(u, gamma);
                value = factor * b;
                if (gradient != null) {
                    derivative =
                            factor * bceDerivative(y, z, posWeights[c]) + focalFactorDerivative(y, z, u, balance) * b;
                }
            } else {
                value = b;
                if (gradient != null) {
                    derivative = bceDerivative(y, z, posWeights[c]);
                }
            }
            total += weight * value;
            if (rowScores != null) {
                rowScores[e / classes] += weight * value;
            }
            if (gradient != null) {
                gradient[e] += weight * derivative;
            }
        }
        return total;
    }

    private double dice(
            double[] labels, double[] logits, double[] mask, double weight, double[] gradient, double[] rowScores) {
        int classes = classWeights.length;
        double[] intersection = new double[macro ? classes : 1];
        double[] union = new double[macro ? classes : 1];
        for (int e = 0; e < labels.length; e++) {
            double m = maskAt(mask, e, labels.length, classes);
            double y = labels[e];
            double p = sigmoid(logits[e]);
            int k = macro ? e % classes : 0;
            intersection[k] += m * y * p;
            union[k] += m * (y + p);
        }
        // each class's 1 - D_c (macro) or the pooled 1 - D (micro) spread over its elements
        double[] scale = new double[union.length];
        double[] slope = new double[union.length];
        for (int k = 0; k < union.length; k++) {
            double denominator = union[k] + smooth;
            double share = macro ? weight / classes : weight;
            scale[k] = share / denominator;
            slope[k] = share / (denominator * denominator);
        }
        double total = 0;
        for (int e = 0; e < labels.length; e++) {
            double m = maskAt(mask, e, labels.length, classes);
            if (m == 0) {
                continue;
            }
            double y = labels[e];
            double z = logits[e];
            double p = sigmoid(z);
            int k = macro ? e % classes : 0;
            double value = scale[k] * m * (y + p - 2 * y * p);
            total += value;
            if (rowScores != null) {
                rowScores[e / classes] += value;
            }
            if (gradient != null) {
                // d(1 - D)/dp = ((2I + s) - 2y (U + s)) / (U + s)^2, and dp/dz = p (1 - p)
                double dLossDp = m * ((2 * intersection[k] + smooth) - 2 * y * (union[k] + smooth));
                gradient[e] += slope[k] * dLossDp * p * sigmoid(-z);
            }
        }
        return total;
    }

    /** The cross-entropy in DL4J's convention: the logit clamped where DL4J clips the probability. */
    private double bce(double y, double z, double posWeight) {
        double zc = Math.max(-maxLogit, Math.min(maxLogit, z));
        if (y == 0) {
            return softplus(zc);
        }
        double positive = posWeight * softplus(-zc);
        return y == 1 ? positive : y * positive + (1 - y) * softplus(zc);
    }

    /** d bce / dz: 0 where the clip holds the probability constant. */
    private double bceDerivative(double y, double z, double posWeight) {
        if (z <= -maxLogit || z >= maxLogit) {
            return 0;
        }
        return -posWeight * y * sigmoid(-z) + (1 - y) * sigmoid(z);
    }

    /**
     * d(alpha_t u^gamma)/dz with u = 1 - p_t. du/dz = (1 - 2y) p (1 - p); for a binary target p (1 - p) = u (1 - u),
     * which avoids u^(gamma - 1) for gamma below 1.
     */
    private double focalFactorDerivative(double y, double z, double u, double balance) {
        if (gamma == 0) {
            return 0;
        }
        if (y == 0 || y == 1) {
            return balance * gamma * (1 - 2 * y) * power(u, gamma) * (1 - u);
        }
        if (u == 0) {
            return 0;
        }
        return balance * gamma * power(u, gamma - 1) * (1 - 2 * y) * sigmoid(z) * sigmoid(-z);
    }

    /** An element's mask value; a mask shorter than the batch holds one value per row. */
    private static double maskAt(double[] mask, int element, int elements, int classes) {
        if (mask == null) {
            return 1;
        }
        return mask.length == elements ? mask[element] : mask[element / classes];
    }

    private static double power(double base, double exponent) {
        return exponent == 2 ? base * base : exponent == 1 ? base : Math.pow(base, exponent);
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** ln(1 + e^x), stable for any x. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
