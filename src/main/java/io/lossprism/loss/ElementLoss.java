package io.lossprism.loss;

/**
 * One element's loss as a framework computes it: the same operations in the same order, each rounded
 * to the precision the framework computes in. Where the result is decided by that rounding (a clip
 * bound, {@code 1 - p} of a probability near 0 or 1, a sigmoid that saturates, PyTorch's
 * {@code (1 - y) z - ln sigmoid(z)} cancelling for a confident negative) this reproduces the framework's
 * value rather than the exact one; elsewhere the two differ by rounding only. Logarithms and
 * exponentials are computed in double and rounded, which is within one unit in the last place of the
 * framework's own.
 */
final class ElementLoss {

    /** PyTorch's BCELoss clamps each logarithm at -100. */
    private static final double TORCH_LOG_FLOOR = -100;
    /** Eigen's float logistic (TensorFlow's sigmoid) is e / (1 + e), e = exp(min(z, this)). */
    private static final double EIGEN_LOGISTIC_CUTOFF = 16.6355324f;

    private final Convention convention;
    private final boolean single;
    private final double binaryLow;
    private final double binaryHigh;
    private final double categoricalLow;
    private final double categoricalHigh;

    ElementLoss(Convention convention, Precision precision) {
        this.convention = convention;
        this.single = precision == Precision.FLOAT32;
        // every framework writes its bounds as eps and 1 - eps in double and converts them to the tensor's type
        this.binaryLow = r(convention.binaryEps());
        this.binaryHigh = r(1 - convention.binaryEps());
        this.categoricalLow = r(convention.categoricalEps());
        this.categoricalHigh = r(1 - convention.categoricalEps());
    }

    /** Rounds to the precision (float32 or not at all). */
    double r(double x) {
        return single ? (double) (float) x : x;
    }

    /** The framework's sigmoid: TensorFlow's Eigen logistic in float32, 1 / (1 + e^-z) everywhere else. */
    double sigmoid(double z) {
        if (single && convention == Convention.KERAS) {
            double e = r(Math.exp(Math.min(z, EIGEN_LOGISTIC_CUTOFF)));
            return r(e / r(1 + e));
        }
        return r(1 / r(1 + r(Math.exp(-z))));
    }

    /** A probability clipped to the convention's binary bounds (none for torch). */
    double clipBinary(double p) {
        return convention == Convention.TORCH ? p : Math.max(binaryLow, Math.min(binaryHigh, p));
    }

    /** Binary cross-entropy of a probability p for target y, the positive term multiplied by posWeight. */
    double bceFromProbability(double y, double p, double posWeight) {
        return switch (convention) {
            case KERAS, KERAS_JAX -> kerasBce(y, clipBinary(p), posWeight);
            case KERAS_TORCH, TORCH -> torchBce(y, clipBinary(p), posWeight);
            case DL4J -> dl4jBce(y, clipBinary(p), posWeight);
        };
    }

    /** Binary cross-entropy of a logit z for target y, the positive term multiplied by posWeight. */
    double bceFromLogit(double y, double z, double posWeight) {
        return switch (convention) {
            case KERAS -> posWeight == 1 ? tensorFlowBce(y, z) : tensorFlowWeightedBce(y, z, posWeight);
            case KERAS_JAX -> jaxBce(y, z, posWeight);
            case KERAS_TORCH, TORCH -> torchBceWithLogits(y, z, posWeight);
            case DL4J -> dl4jBce(y, clipBinary(sigmoid(z)), posWeight);
        };
    }

    /**
     * Focal loss of one element: {@code [alpha_t] (1 - p_t)^gamma BCE}, p_t from the unclipped
     * probability. The cross-entropy comes from the logits where the framework takes it from them:
     * torchvision always, Keras on TensorFlow because its sigmoid output carries its logits; Keras on
     * JAX or torch clips the sigmoid, and DL4J (LossPrism's own focal loss) clips as its BCE does.
     */
    double focal(double y, double x, boolean logits, double gamma, double alpha, double posWeight) {
        double p = logits ? sigmoid(x) : x;
        boolean fromLogits = logits && (convention == Convention.KERAS || convention == Convention.TORCH);
        double bce = fromLogits ? bceFromLogit(y, x, posWeight) : bceFromProbability(y, p, posWeight);
        double pt = r(r(y * p) + r(r(1 - y) * r(1 - p)));
        double q = r(1 - pt);
        double loss = r(r(gamma == 2 ? q * q : Math.pow(q, gamma)) * bce);
        if (!Double.isNaN(alpha)) {
            double weight = r(r(y * r(alpha)) + r(r(1 - y) * r(1 - alpha)));
            loss = r(weight * loss);
        }
        return loss;
    }

    /** -ln p of a class probability, clipped as the framework clips it (torch: log clamped at -100). */
    double categoricalLog(double p) {
        if (convention == Convention.TORCH) {
            return -Math.max(r(Math.log(p)), TORCH_LOG_FLOOR);
        }
        return -r(Math.log(clipCategorical(p)));
    }

    /** A class probability clipped to the convention's categorical bounds. */
    double clipCategorical(double p) {
        return Math.max(categoricalLow, Math.min(categoricalHigh, p));
    }

    /** Keras on TensorFlow and JAX: {@code -(y ln p + (1 - y) ln(1 - p))}, p clipped. */
    private double kerasBce(double y, double p, double posWeight) {
        double positive = y == 0 ? 0 : r(y * r(Math.log(p)));
        double negative = y == 1 ? 0 : r(r(1 - y) * r(Math.log(r(1 - p))));
        return -r(weighted(positive, posWeight) + negative);
    }

    /** PyTorch's binary_cross_entropy kernel: {@code (y - 1) max(ln1p(-p), -100) - y max(ln p, -100)}. */
    private double torchBce(double y, double p, double posWeight) {
        double negative = y == 1 ? 0 : r(r(y - 1) * Math.max(r(Math.log1p(-p)), TORCH_LOG_FLOOR));
        double positive = y == 0 ? 0 : r(y * Math.max(r(Math.log(p)), TORCH_LOG_FLOOR));
        return r(negative - weighted(positive, posWeight));
    }

    /** DL4J's LossBinaryXENT after its clip: {@code -(ln(p) y + ln(1 - p) (1 - y))}. */
    private double dl4jBce(double y, double p, double posWeight) {
        double positive = y == 0 ? 0 : r(r(Math.log(p)) * y);
        double negative = y == 1 ? 0 : r(r(Math.log(r(1 - p))) * r(1 - y));
        return -r(weighted(positive, posWeight) + negative);
    }

    /** TensorFlow's sigmoid_cross_entropy_with_logits: {@code relu(z) - z y + ln1p(e^-|z|)}. */
    private double tensorFlowBce(double y, double z) {
        return r(r(Math.max(z, 0) - r(z * y)) + r(Math.log1p(Math.exp(-Math.abs(z)))));
    }

    /**
     * TensorFlow's weighted_cross_entropy_with_logits, what a Keras user with a pos_weight calls:
     * {@code (1 - y) z + (1 + (w - 1) y)(ln1p(e^-|z|) + relu(-z))}.
     */
    private double tensorFlowWeightedBce(double y, double z, double posWeight) {
        double logWeight = r(1 + r(r(r(posWeight) - 1) * y));
        double softplusMinus = r(r(Math.log1p(Math.exp(-Math.abs(z)))) + Math.max(-z, 0));
        return r(r(r(1 - y) * z) + r(logWeight * softplusMinus));
    }

    /** JAX: {@code -y log_sigmoid(z) - (1 - y) log_sigmoid(-z)}, posWeight on the first term. */
    private double jaxBce(double y, double z, double posWeight) {
        double positive = y == 0 ? 0 : r(-y * r(-softplus(-z)));
        double negative = y == 1 ? 0 : r(r(1 - y) * r(-softplus(z)));
        return r(weighted(positive, posWeight) - negative);
    }

    /**
     * PyTorch's binary_cross_entropy_with_logits: {@code (1 - y) z - lw ln sigmoid(z)},
     * {@code lw = (pos_weight - 1) y + 1}. For a confident negative the two terms cancel: in float32 a
     * logit below about -16.6 costs exactly 0.
     */
    private double torchBceWithLogits(double y, double z, double posWeight) {
        double logSigmoid = r(Math.min(z, 0) - Math.log1p(Math.exp(-Math.abs(z))));
        if (posWeight != 1) {
            logSigmoid = r(logSigmoid * r(r(r(r(posWeight) - 1) * y) + 1));
        }
        return r(r(r(1 - y) * z) - logSigmoid);
    }

    private double weighted(double positive, double posWeight) {
        return posWeight == 1 ? positive : r(positive * r(posWeight));
    }

    /** ln(1 + e^x), stable for any x. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
