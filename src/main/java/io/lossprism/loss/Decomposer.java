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
 * over positions of {@code y + p - 2 y p}. An epsilon e in the denominator only (Keras' {@code Dice()})
 * adds {@code e / (U + s + e)} to the loss: micro gives each class an equal share of it, macro gives
 * class c its own {@code e / (C (U_c + s + e))}; either goes into the class's negative part.
 *
 * <p>Each element's loss is computed as the convention's framework computes it, in the precision of the
 * prediction array ({@link Values#precision()}): float32 network outputs are clipped, subtracted from 1
 * and passed through the sigmoid in float32, as the framework does (see {@link ElementLoss}). The sums
 * are accumulated in double.
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
    /** DL4J's binary clip bounds in float32: float32(1e-5) and float32(1 - 1e-5). */
    private static final float DL4J_LOW = (float) 1e-5;

    private static final float DL4J_HIGH = (float) (1 - 1e-5);

    private final BatchShape shape;
    private final Layout layout;
    private final LossSpec spec;
    private final Convention convention;
    private final ElementLoss float32Loss;
    private final ElementLoss float64Loss;
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
    private ElementLoss element;

    public Decomposer(BatchShape shape, Layout layout, LossSpec spec) {
        if (spec.classes() != shape.classes()) {
            throw new IllegalArgumentException("the loss has " + spec.classes() + " class weights but the batch has "
                    + shape.classes() + " classes");
        }
        this.shape = shape;
        this.layout = layout;
        this.spec = spec;
        this.convention = spec.convention();
        this.float32Loss = new ElementLoss(convention, Precision.FLOAT32);
        this.float64Loss = new ElementLoss(convention, Precision.FLOAT64);
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
        int helperCount = shape.elements() < PARALLEL_THRESHOLD
                ? 0
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
     * @param prediction probabilities or logits, same size and layout; its precision is the one each
     *                   element's loss is computed in
     */
    public synchronized Decomposition decompose(Values truth, Values prediction) {
        if (truth.length() != shape.elements() || prediction.length() != shape.elements()) {
            throw new IllegalArgumentException("expected " + shape.elements() + " values, got truth " + truth.length()
                    + " and prediction " + prediction.length());
        }
        this.truth = truth;
        this.prediction = prediction;
        this.element = prediction.precision() == Precision.FLOAT32 ? float32Loss : float64Loss;
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
            if (convention == Convention.DL4J) {
                dl4jBceOnLogits(item, c, from, to, slot);
                return;
            }
            if (convention == Convention.KERAS_JAX || convention == Convention.KERAS && posWeights[c] == 1) {
                exactBceOnLogits(item, c, from, to, slot);
                return;
            }
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
            double probability = dice ? (logits ? element.sigmoid(x) : x) : Double.NaN;
            double ce = 0;
            if (crossEntropy) {
                ce = focal
                        ? element.focal(y, x, logits, spec.gamma(), spec.alpha(), posWeight)
                        : logits ? element.bceFromLogit(y, x, posWeight) : element.bceFromProbability(y, x, posWeight);
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
     * BCE on logits where the framework computes it exactly (Keras on TensorFlow and JAX): for a binary
     * target the element loss is softplus(s) = max(s, 0) + ln(1 + e^-|s|), s = -z for a positive and z
     * for a negative, in float32 within rounding of the exact value. The logarithms of a run of elements
     * are summed as the logarithm of their product (each factor in (1, 2], a product of 512 stays
     * finite), one ln per 512 elements instead of one each. Soft targets take the general formula.
     */
    private void exactBceOnLogits(int item, int c, int from, int to, int slot) {
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
                double s = y == 1 ? -z : z;
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
                softPos += element.bceFromLogit(y, z, posWeight);
            } else {
                softNeg += element.bceFromLogit(y, z, posWeight);
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

    /**
     * The training hot path: DL4J's BCE on logits, -ln p~ for a positive and -ln(1 - p~) for a negative,
     * p~ its sigmoid clipped to [1e-5, 1 - 1e-5], all in the precision of the network's output (in float32
     * a saturated pixel costs -ln(1.0013580e-5) = 11.5116, not 11.5129). The logarithms of a run of 32
     * elements are summed as the logarithm of the product of their arguments (each at least about 1e-5,
     * so the product stays above 1e-160): one ln per 32 elements. Soft targets take the general formula.
     */
    private void dl4jBceOnLogits(int item, int c, int from, int to, int slot) {
        int stride = layout.pixelStride(shape);
        long pos = 0;
        long truePos = 0;
        long falsePos = 0;
        double logPos = 0;
        double logNeg = 0;
        double productPos = 1;
        double productNeg = 1;
        int factorsPos = 0;
        int factorsNeg = 0;
        double softPos = 0;
        double softNeg = 0;
        double posWeight = posWeights[c];
        ElementLoss loss = element;
        boolean single = prediction.precision() == Precision.FLOAT32;
        for (int p = from, i = layout.index(shape, item, c, from); p < to; p++, i += stride) {
            double y = truth.at(i);
            double z = prediction.at(i);
            boolean predicted = z > logitThreshold;
            if (y == 1 || y == 0) {
                // ND4J's sigmoid 1 / (1 + e^-z) and clip, written out for float32 (the hot path)
                double probability;
                if (single) {
                    float sigmoid = 1f / (1f + (float) Math.exp(-z));
                    probability = sigmoid < DL4J_LOW ? DL4J_LOW : sigmoid > DL4J_HIGH ? DL4J_HIGH : sigmoid;
                } else {
                    probability = loss.clipBinary(loss.sigmoid(z));
                }
                if (y == 1) {
                    productPos *= probability;
                    if (++factorsPos == 32) {
                        logPos += Math.log(productPos);
                        productPos = 1;
                        factorsPos = 0;
                    }
                } else {
                    productNeg *= single ? 1f - (float) probability : 1 - probability;
                    if (++factorsNeg == 32) {
                        logNeg += Math.log(productNeg);
                        productNeg = 1;
                        factorsNeg = 0;
                    }
                }
            } else if (y >= 0.5) {
                softPos += loss.bceFromLogit(y, z, posWeight);
            } else {
                softNeg += loss.bceFromLogit(y, z, posWeight);
            }
            if (y >= 0.5) {
                pos++;
                truePos += predicted ? 1 : 0;
            } else {
                falsePos += predicted ? 1 : 0;
            }
        }
        double cePos = -posWeight * (logPos + Math.log(productPos)) + softPos;
        double ceNeg = -(logNeg + Math.log(productNeg)) + softNeg;
        positives[slot] = pos;
        tp[slot] = truePos;
        fp[slot] = falsePos;
        rawPositive[slot] = cePos;
        rawNegative[slot] = ceNeg;
        crossEntropyPositive[slot] = weights[c] * cePos;
        crossEntropyNegative[slot] = weights[c] * ceNeg;
    }

    private void categorical(int item, int from, int to, int slotBase) {
        int classes = shape.classes();
        int classStride = layout.classStride(shape);
        boolean logits = spec.fromLogits();
        ElementLoss loss = element;
        // TensorFlow's sparse categorical cross-entropy of probabilities clips first and divides by the
        // clipped sum (a softmax of ln p~); Keras otherwise renormalises, then clips
        boolean clipFirst = convention == Convention.KERAS && spec.indexLabels() && !logits;
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
                if (!logits) {
                    total = loss.r(total + (clipFirst ? loss.clipCategorical(x) : x));
                }
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
                        // DL4J clips its softmax output; the others take log-softmax exactly
                        ce = convention == Convention.DL4J
                                ? loss.categoricalLog(loss.r(Math.exp(x - logSumExp)))
                                : logSumExp - x;
                    } else if (clipFirst) {
                        ce = loss.categoricalLog(x) + Math.log(total);
                    } else if (convention.keras()) {
                        ce = loss.categoricalLog(loss.r(x / total));
                    } else {
                        // DL4J clips only the output of its own softmax: given probabilities, it takes their log
                        ce = convention == Convention.DL4J ? -loss.r(Math.log(x)) : loss.categoricalLog(x);
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
        double divisor = function.sigmoid()
                ? convention.sigmoidDivisor(shape)
                : convention == Convention.TORCH && spec.indexLabels()
                        ? allTargetWeight
                        : convention.categoricalDivisor(shape);
        double elements = function.sigmoid() ? shape.elements() : shape.pixelsPerClass();
        double epsilon = spec.diceEpsilon();
        double pooledUnion = Arrays.stream(union).sum() + spec.smooth() + epsilon;

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
                boolean micro = spec.dice() == LossSpec.DiceMode.MICRO;
                double denominator = micro ? pooledUnion : classes * (union[c] + spec.smooth() + epsilon);
                positivePart += diceP[c] / denominator;
                negativePart += (diceN[c] + (micro ? epsilon / classes : epsilon)) / denominator;
            }
            double term = positivePart + negativePart;
            total += term;
            boolean hasCrossEntropy = function != LossFunction.DICE;
            long negatives = perClass - pos[c];
            ConfusionCounts counts =
                    new ConfusionCounts(truePos[c], falsePos[c], pos[c] - truePos[c], negatives - falsePos[c]);
            breakdowns.add(new ClassBreakdown(
                    c,
                    term,
                    positivePart,
                    negativePart,
                    hasCrossEntropy ? mean(rawP[c], pos[c]) : Double.NaN,
                    hasCrossEntropy ? mean(rawN[c], negatives) : Double.NaN,
                    (double) pos[c] / perClass,
                    counts,
                    ClassState.of(counts)));
        }
        double meanElement = function == LossFunction.DICE ? Double.NaN : crossEntropySum / elements;
        return new Decomposition(total, meanElement, breakdowns, IouAverages.of(breakdowns));
    }

    private static double mean(double sum, long count) {
        return count == 0 ? Double.NaN : sum / count;
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
