package io.lossprism.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The decomposition engine: one pass over a batch's targets and predictions accumulates, per class,
 * the sums every supported loss is made of; {@link #decompose} then assembles the class terms of the
 * loss in the spec's convention. The terms add up to the aggregate exactly, in double precision.
 *
 * <p>Cross-entropy losses (BCE, focal, CCE) are sums over elements: a class's term is the sum of its
 * elements' losses over the convention's divisor, split by whether the class is present at the position.
 * Dice is not a sum over elements, but 1 - D still splits exactly: micro (pooled)
 * {@code 1 - (2I + s)/(U + s) = sum_c (U_c - 2 I_c) / (U + s)}, macro
 * {@code 1 - mean_c D_c = sum_c (U_c - 2 I_c) / (C (U_c + s))}, and {@code U_c - 2 I_c} is itself a sum
 * over positions of {@code y + p - 2 y p}.
 *
 * <p>The batch is cut into blocks (an item and a range of positions) with accumulators of their own,
 * processed by the calling thread and helpers from the common fork-join pool, then reduced in a fixed
 * order: results do not depend on the number of threads. Steady state allocates only the result.
 * One instance serves batches of one shape; calls are serialised.
 */
public final class Decomposer {

    /** Positions per block: large enough to amortise scheduling, small enough to balance two cores. */
    private static final int CHUNK = 8192;
    /** Below this many elements a second thread costs more than it saves. */
    private static final int PARALLEL_THRESHOLD = 1 << 16;

    private final BatchShape shape;
    private final Layout layout;
    private final LossSpec spec;
    private final Convention convention;
    private final double[] weights;
    private final double[] posWeights;
    private final double logitThreshold;
    private final int chunksPerItem;
    private final int blocks;

    // accumulators, one slot per (block, class)
    private final long[] positives;
    private final long[] tp;
    private final long[] fp;
    private final double[] crossEntropyPositive;
    private final double[] crossEntropyNegative;
    private final double[] rawPositive;
    private final double[] rawNegative;
    private final double[] dicePositive;
    private final double[] diceNegative;
    private final double[] sumTruth;
    private final double[] sumPrediction;
    private final double[] targetWeight;

    private final AtomicInteger nextBlock = new AtomicInteger();
    private final ForkJoinTask<?>[] helpers;
    private Values truth;
    private Values prediction;

    public Decomposer(BatchShape shape, Layout layout, LossSpec spec) {
        if (spec.classes() != shape.classes()) {
            throw new IllegalArgumentException("the loss has " + spec.classes() + " class weights but the batch has "
                    + shape.classes() + " classes");
        }
        this.shape = shape;
        this.layout = layout;
        this.spec = spec;
        this.convention = spec.convention();
        this.weights = spec.classWeights();
        this.posWeights = spec.posWeights();
        this.logitThreshold = Math.log(spec.threshold() / (1 - spec.threshold()));
        this.chunksPerItem = (shape.pixels() + CHUNK - 1) / CHUNK;
        this.blocks = shape.batch() * chunksPerItem;
        int slots = blocks * shape.classes();
        positives = new long[slots];
        tp = new long[slots];
        fp = new long[slots];
        crossEntropyPositive = new double[slots];
        crossEntropyNegative = new double[slots];
        rawPositive = new double[slots];
        rawNegative = new double[slots];
        dicePositive = new double[slots];
        diceNegative = new double[slots];
        sumTruth = new double[slots];
        sumPrediction = new double[slots];
        targetWeight = new double[slots];
        int helperCount = shape.elements() < PARALLEL_THRESHOLD ? 0
                : Math.min(ForkJoinPool.getCommonPoolParallelism(), blocks - 1);
        helpers = new ForkJoinTask<?>[Math.max(0, helperCount)];
        for (int h = 0; h < helpers.length; h++) {
            helpers[h] = ForkJoinTask.adapt(this::drain);
        }
    }

    public BatchShape shape() {
        return shape;
    }

    public LossSpec spec() {
        return spec;
    }

    public Decomposition decompose(float[] truth, float[] prediction) {
        return decompose(Values.of(truth), Values.of(prediction));
    }

    public Decomposition decompose(double[] truth, double[] prediction) {
        return decompose(Values.of(truth), Values.of(prediction));
    }

    /**
     * @param truth      targets in [0, 1] (one-hot or soft for CCE), {@code shape.elements()} values
     * @param prediction probabilities or logits, same size and layout
     */
    public synchronized Decomposition decompose(Values truth, Values prediction) {
        if (truth.length() != shape.elements() || prediction.length() != shape.elements()) {
            throw new IllegalArgumentException("expected " + shape.elements() + " values, got truth "
                    + truth.length() + " and prediction " + prediction.length());
        }
        this.truth = truth;
        this.prediction = prediction;
        reset();
        nextBlock.set(0);
        for (ForkJoinTask<?> helper : helpers) {
            helper.reinitialize();
            helper.fork();
        }
        drain();
        for (ForkJoinTask<?> helper : helpers) {
            helper.join();
        }
        this.truth = null;
        this.prediction = null;
        return summarise();
    }

    private void drain() {
        for (int block = nextBlock.getAndIncrement(); block < blocks; block = nextBlock.getAndIncrement()) {
            int item = block / chunksPerItem;
            int from = (block % chunksPerItem) * CHUNK;
            int to = Math.min(shape.pixels(), from + CHUNK);
            if (spec.function().sigmoid()) {
                for (int c = 0; c < shape.classes(); c++) {
                    sigmoidClass(item, c, from, to, block * shape.classes() + c);
                }
            } else {
                categorical(item, from, to, block * shape.classes());
            }
        }
    }

    private void sigmoidClass(int item, int c, int from, int to, int slot) {
        if (spec.function() == LossFunction.BCE && spec.fromLogits()) {
            bceOnLogits(item, c, from, to, slot);
            return;
        }
        LossFunction function = spec.function();
        boolean crossEntropy = function.hasCrossEntropy();
        boolean focal = function == LossFunction.FOCAL;
        boolean dice = function.hasDice();
        boolean logits = spec.fromLogits();
        double weight = weights[c];
        double posWeight = posWeights[c];
        int stride = layout.pixelStride(shape);
        long pos = 0;
        long truePos = 0;
        long falsePos = 0;
        double cePos = 0;
        double ceNeg = 0;
        double dicePos = 0;
        double diceNeg = 0;
        double sumY = 0;
        double sumP = 0;
        for (int p = from, i = layout.index(shape, item, c, from); p < to; p++, i += stride) {
            double y = truth.at(i);
            double x = prediction.at(i);
            boolean predicted = logits ? x > logitThreshold : x > spec.threshold();
            double probability = (focal || dice) ? (logits ? sigmoid(x) : x) : Double.NaN;
            double ce = 0;
            if (crossEntropy) {
                ce = focal ? focal(y, x, probability, posWeight) : logits
                        ? convention.bceFromLogit(y, x, posWeight) : convention.bceFromProbability(y, x, posWeight);
            }
            double diceMass = 0;
            if (dice) {
                diceMass = y + probability - 2 * y * probability;
                sumY += y;
                sumP += probability;
            }
            if (y >= 0.5) {
                pos++;
                cePos += ce;
                dicePos += diceMass;
                if (predicted) {
                    truePos++;
                }
            } else {
                ceNeg += ce;
                diceNeg += diceMass;
                if (predicted) {
                    falsePos++;
                }
            }
        }
        positives[slot] = pos;
        tp[slot] = truePos;
        fp[slot] = falsePos;
        rawPositive[slot] = cePos;
        rawNegative[slot] = ceNeg;
        crossEntropyPositive[slot] = weight * cePos;
        crossEntropyNegative[slot] = weight * ceNeg;
        dicePositive[slot] = dicePos;
        diceNegative[slot] = diceNeg;
        sumTruth[slot] = sumY;
        sumPrediction[slot] = sumP;
    }

    /**
     * The training hot path: BCE on logits. For a binary target the element loss is
     * softplus(s) = max(s, 0) + ln(1 + e^-|s|), s = -z for a positive and z for a negative; the logarithms
     * of a run of elements are summed as the logarithm of their product (each factor in (1, 2], a
     * product of 512 stays finite), one ln per 512 elements instead of one each. Soft targets take the
     * general path element by element.
     */
    private void bceOnLogits(int item, int c, int from, int to, int slot) {
        int stride = layout.pixelStride(shape);
        long pos = 0;
        long truePos = 0;
        long falsePos = 0;
        double linearPos = 0;
        double linearNeg = 0;
        double logPos = 0;
        double logNeg = 0;
        double productPos = 1;
        double productNeg = 1;
        int factorsPos = 0;
        int factorsNeg = 0;
        double softPos = 0;
        double softNeg = 0;
        double posWeight = posWeights[c];
        for (int p = from, i = layout.index(shape, item, c, from); p < to; p++, i += stride) {
            double y = truth.at(i);
            double z = prediction.at(i);
            boolean predicted = z > logitThreshold;
            if (y == 1 || y == 0) {
                double s = y == 1 ? -convention.clampLogit(z) : convention.clampLogit(z);
                double factor = 1 + Math.exp(-Math.abs(s));
                if (y == 1) {
                    linearPos += Math.max(s, 0);
                    productPos *= factor;
                    if (++factorsPos == 512) {
                        logPos += Math.log(productPos);
                        productPos = 1;
                        factorsPos = 0;
                    }
                } else {
                    linearNeg += Math.max(s, 0);
                    productNeg *= factor;
                    if (++factorsNeg == 512) {
                        logNeg += Math.log(productNeg);
                        productNeg = 1;
                        factorsNeg = 0;
                    }
                }
            } else if (y >= 0.5) {
                softPos += convention.bceFromLogit(y, z, posWeight);
            } else {
                softNeg += convention.bceFromLogit(y, z, posWeight);
            }
            if (y >= 0.5) {
                pos++;
                truePos += predicted ? 1 : 0;
            } else {
                falsePos += predicted ? 1 : 0;
            }
        }
        double cePos = posWeight * (linearPos + logPos + Math.log(productPos)) + softPos;
        double ceNeg = linearNeg + logNeg + Math.log(productNeg) + softNeg;
        positives[slot] = pos;
        tp[slot] = truePos;
        fp[slot] = falsePos;
        rawPositive[slot] = cePos;
        rawNegative[slot] = ceNeg;
        crossEntropyPositive[slot] = weights[c] * cePos;
        crossEntropyNegative[slot] = weights[c] * ceNeg;
    }

    /** Focal loss of one element: [alpha_t] (1 - p_t)^gamma BCE, p_t from the unclipped probability. */
    private double focal(double y, double x, double probability, double posWeight) {
        double bce = spec.fromLogits() && !convention.focalUsesProbabilities()
                ? convention.bceFromLogit(y, x, posWeight)
                : convention.bceFromProbability(y, probability, posWeight);
        double pt = y * probability + (1 - y) * (1 - probability);
        double gamma = spec.gamma();
        double factor = gamma == 2 ? (1 - pt) * (1 - pt) : Math.pow(1 - pt, gamma);
        if (!Double.isNaN(spec.alpha())) {
            factor *= y * spec.alpha() + (1 - y) * (1 - spec.alpha());
        }
        return factor * bce;
    }

    private void categorical(int item, int from, int to, int slotBase) {
        int classes = shape.classes();
        int classStride = layout.classStride(shape);
        boolean logits = spec.fromLogits();
        for (int p = from; p < to; p++) {
            int base = layout.index(shape, item, 0, p);
            int predicted = 0;
            double best = Double.NEGATIVE_INFINITY;
            double total = 0;
            for (int c = 0, i = base; c < classes; c++, i += classStride) {
                double x = prediction.at(i);
                if (x > best) {
                    best = x;
                    predicted = c;
                }
                total += logits ? 0 : x;
            }
            double logSumExp = 0;
            if (logits) {
                double sum = 0;
                for (int c = 0, i = base; c < classes; c++, i += classStride) {
                    sum += Math.exp(prediction.at(i) - best);
                }
                logSumExp = best + Math.log(sum);
            }
            for (int c = 0, i = base; c < classes; c++, i += classStride) {
                double y = truth.at(i);
                double ce = 0;
                if (y != 0) {
                    double x = prediction.at(i);
                    if (logits) {
                        ce = convention.clipsSoftmax() ? convention.categoricalLog(Math.exp(x - logSumExp), true)
                                : logSumExp - x;
                    } else {
                        ce = convention.categoricalLog(convention.renormalisesProbabilities() ? x / total : x, false);
                    }
                    ce *= y;
                }
                int slot = slotBase + c;
                targetWeight[slot] += weights[c] * y;
                if (y >= 0.5) {
                    positives[slot]++;
                    rawPositive[slot] += ce;
                    crossEntropyPositive[slot] += weights[c] * ce;
                    if (predicted == c) {
                        tp[slot]++;
                    }
                } else {
                    rawNegative[slot] += ce;
                    crossEntropyNegative[slot] += weights[c] * ce;
                    if (predicted == c) {
                        fp[slot]++;
                    }
                }
            }
        }
    }

    private Decomposition summarise() {
        int classes = shape.classes();
        long[] pos = new long[classes];
        long[] truePos = new long[classes];
        long[] falsePos = new long[classes];
        double[] ceP = new double[classes];
        double[] ceN = new double[classes];
        double[] rawP = new double[classes];
        double[] rawN = new double[classes];
        double[] diceP = new double[classes];
        double[] diceN = new double[classes];
        double[] union = new double[classes];
        double allTargetWeight = 0;
        for (int block = 0; block < blocks; block++) {
            for (int c = 0; c < classes; c++) {
                int slot = block * classes + c;
                pos[c] += positives[slot];
                truePos[c] += tp[slot];
                falsePos[c] += fp[slot];
                ceP[c] += crossEntropyPositive[slot];
                ceN[c] += crossEntropyNegative[slot];
                rawP[c] += rawPositive[slot];
                rawN[c] += rawNegative[slot];
                diceP[c] += dicePositive[slot];
                diceN[c] += diceNegative[slot];
                union[c] += sumTruth[slot] + sumPrediction[slot];
                allTargetWeight += targetWeight[slot];
            }
        }
        LossFunction function = spec.function();
        double divisor = function.sigmoid() ? convention.sigmoidDivisor(shape)
                : convention == Convention.TORCH && spec.indexLabels() ? allTargetWeight
                : convention.categoricalDivisor(shape);
        double elements = function.sigmoid() ? shape.elements() : shape.pixelsPerClass();
        double pooledUnion = Arrays.stream(union).sum() + spec.smooth();

        List<ClassBreakdown> breakdowns = new ArrayList<>(classes);
        double total = 0;
        double crossEntropySum = 0;
        long perClass = shape.pixelsPerClass();
        for (int c = 0; c < classes; c++) {
            double positivePart = 0;
            double negativePart = 0;
            if (function != LossFunction.DICE) {
                positivePart += ceP[c] / divisor;
                negativePart += ceN[c] / divisor;
                crossEntropySum += ceP[c] + ceN[c];
            }
            if (function.hasDice()) {
                double denominator = spec.dice() == LossSpec.DiceMode.MICRO ? pooledUnion
                        : classes * (union[c] + spec.smooth());
                positivePart += diceP[c] / denominator;
                negativePart += diceN[c] / denominator;
            }
            double term = positivePart + negativePart;
            total += term;
            boolean hasCrossEntropy = function != LossFunction.DICE;
            long negatives = perClass - pos[c];
            ConfusionCounts counts = new ConfusionCounts(truePos[c], falsePos[c], pos[c] - truePos[c],
                    negatives - falsePos[c]);
            breakdowns.add(new ClassBreakdown(c, term, positivePart, negativePart,
                    hasCrossEntropy ? mean(rawP[c], pos[c]) : Double.NaN,
                    hasCrossEntropy ? mean(rawN[c], negatives) : Double.NaN,
                    (double) pos[c] / perClass, counts, ClassState.of(counts)));
        }
        double meanElement = function == LossFunction.DICE ? Double.NaN : crossEntropySum / elements;
        return new Decomposition(total, meanElement, breakdowns, IouAverages.of(breakdowns));
    }

    private static double mean(double sum, long count) {
        return count == 0 ? Double.NaN : sum / count;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private void reset() {
        Arrays.fill(positives, 0);
        Arrays.fill(tp, 0);
        Arrays.fill(fp, 0);
        Arrays.fill(crossEntropyPositive, 0);
        Arrays.fill(crossEntropyNegative, 0);
        Arrays.fill(rawPositive, 0);
        Arrays.fill(rawNegative, 0);
        Arrays.fill(dicePositive, 0);
        Arrays.fill(diceNegative, 0);
        Arrays.fill(sumTruth, 0);
        Arrays.fill(sumPrediction, 0);
        Arrays.fill(targetWeight, 0);
    }
}
