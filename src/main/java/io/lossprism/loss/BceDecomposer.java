package io.lossprism.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decomposes a batch's class-weighted binary cross-entropy on logits into exact per-class terms.
 *
 * <p>With S+_c and S-_c the sums of the per-pixel losses of class c over its positive and negative
 * pixels, w_c its weight and D the reduction's divisor, the reported loss is
 * {@code L = sum_c w_c (S+_c + S-_c) / D}: each class term, and each of its two parts, adds up to L
 * exactly. A pixel counts as positive when its target is at least 0.5, and is predicted positive when
 * its probability exceeds the threshold.
 *
 * <p>One instance serves batches of one shape; it reuses its accumulators and is not thread-safe.
 */
public final class BceDecomposer {

    private final BatchShape shape;
    private final Layout layout;
    private final Reduction reduction;
    private final BinaryCrossEntropy bce;
    private final double[] weights;
    private final double logitThreshold;

    private final double[] positiveSum;
    private final double[] negativeSum;
    private final long[] positives;
    private final long[] tp;
    private final long[] fp;
    private final long[] fn;

    public BceDecomposer(BatchShape shape, Layout layout, Reduction reduction, double eps,
                         double[] classWeights, double threshold) {
        if (classWeights.length != shape.classes()) {
            throw new IllegalArgumentException(
                    "expected " + shape.classes() + " class weights, got " + classWeights.length);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
        }
        this.shape = shape;
        this.layout = layout;
        this.reduction = reduction;
        this.bce = new BinaryCrossEntropy(eps);
        this.weights = classWeights.clone();
        this.logitThreshold = Math.log(threshold / (1 - threshold));
        int classes = shape.classes();
        this.positiveSum = new double[classes];
        this.negativeSum = new double[classes];
        this.positives = new long[classes];
        this.tp = new long[classes];
        this.fp = new long[classes];
        this.fn = new long[classes];
    }

    public BatchShape shape() {
        return shape;
    }

    /**
     * @param truth  targets in [0, 1], {@code shape.elements()} values in this decomposer's layout
     * @param logits pre-sigmoid network outputs, same size and layout
     */
    public Decomposition decompose(float[] truth, float[] logits) {
        if (truth.length != shape.elements() || logits.length != shape.elements()) {
            throw new IllegalArgumentException("expected " + shape.elements() + " values, got truth "
                    + truth.length + " and logits " + logits.length);
        }
        reset();
        int stride = layout.pixelStride(shape);
        int pixels = shape.pixelsPerImage();
        for (int n = 0; n < shape.batch(); n++) {
            for (int c = 0; c < shape.classes(); c++) {
                accumulate(c, truth, logits, layout.offset(shape, n, c), stride, pixels);
            }
        }
        return summarise();
    }

    private void accumulate(int c, float[] truth, float[] logits, int start, int stride, int pixels) {
        double posSum = 0;
        double negSum = 0;
        long pos = 0;
        long truePos = 0;
        long falsePos = 0;
        for (int p = 0, i = start; p < pixels; p++, i += stride) {
            double y = truth[i];
            double z = logits[i];
            double loss = bce.loss(y, z);
            boolean predicted = z > logitThreshold;
            if (y >= 0.5) {
                pos++;
                posSum += loss;
                if (predicted) {
                    truePos++;
                }
            } else {
                negSum += loss;
                if (predicted) {
                    falsePos++;
                }
            }
        }
        positiveSum[c] += posSum;
        negativeSum[c] += negSum;
        positives[c] += pos;
        tp[c] += truePos;
        fp[c] += falsePos;
        fn[c] += pos - truePos;
    }

    private Decomposition summarise() {
        double divisor = reduction.divisor(shape);
        long pixelsPerClass = shape.pixelsPerClass();
        List<ClassBreakdown> classes = new ArrayList<>(shape.classes());
        double total = 0;
        double weightedSum = 0;
        for (int c = 0; c < shape.classes(); c++) {
            long negatives = pixelsPerClass - positives[c];
            double positivePart = weights[c] * positiveSum[c] / divisor;
            double negativePart = weights[c] * negativeSum[c] / divisor;
            double term = positivePart + negativePart;
            total += term;
            weightedSum += weights[c] * (positiveSum[c] + negativeSum[c]);
            long tn = negatives - fp[c];
            classes.add(new ClassBreakdown(c, term, positivePart, negativePart,
                    mean(positiveSum[c], positives[c]), mean(negativeSum[c], negatives),
                    (double) positives[c] / pixelsPerClass,
                    new ConfusionCounts(tp[c], fp[c], fn[c], tn)));
        }
        return new Decomposition(total, weightedSum / shape.elements(), classes);
    }

    private static double mean(double sum, long count) {
        return count == 0 ? Double.NaN : sum / count;
    }

    private void reset() {
        Arrays.fill(positiveSum, 0);
        Arrays.fill(negativeSum, 0);
        Arrays.fill(positives, 0);
        Arrays.fill(tp, 0);
        Arrays.fill(fp, 0);
        Arrays.fill(fn, 0);
    }
}
