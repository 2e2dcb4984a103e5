package io.lossprism.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DecomposerTest {

    private static final double EPS = 1e-5;
    private static final double TIGHT = 1e-12;

    private static Decomposer dl4j(BatchShape shape, double... weights) {
        return new Decomposer(shape, Layout.NCHW, LossSpec.of(LossFunction.BCE, Convention.DL4J, true, weights));
    }

    /** One image, two classes, two pixels: every number below is worked out by hand. */
    @Test
    void handWorkedBatch() {
        BatchShape shape = BatchShape.of(1, 2, 1, 2);
        float ln3 = (float) Math.log(3);
        // class 0: targets [1, 0], logits [0, 0] -> p = 0.5 twice, loss ln 2 each
        // class 1: targets [0, 0], logits [ln 3, -ln 3] -> p = 0.75, 0.25; losses ln 4, ln 4/3
        float[] truth = {1, 0, 0, 0};
        float[] logits = {0, 0, ln3, -ln3};

        Decomposition d = dl4j(shape, 1, 1).decompose(truth, logits);

        ClassBreakdown c0 = d.classes().get(0);
        assertThat(c0.loss()).isCloseTo(Math.log(4), within(1e-7));
        assertThat(c0.positiveLoss()).isCloseTo(Math.log(2), within(1e-7));
        assertThat(c0.negativeLoss()).isCloseTo(Math.log(2), within(1e-7));
        assertThat(c0.meanPositiveLoss()).isCloseTo(Math.log(2), within(1e-7));
        assertThat(c0.prevalence()).isEqualTo(0.5);
        // logit 0 is probability 0.5, not above the threshold: predicted negative
        assertThat(c0.counts()).isEqualTo(new ConfusionCounts(0, 0, 1, 1));
        assertThat(c0.counts().iou()).isZero();

        ClassBreakdown c1 = d.classes().get(1);
        assertThat(c1.loss()).isCloseTo(Math.log(4) + Math.log(4.0 / 3), within(1e-6));
        assertThat(c1.positiveLoss()).isZero();
        assertThat(c1.meanPositiveLoss()).isNaN();
        assertThat(c1.prevalence()).isZero();
        assertThat(c1.counts()).isEqualTo(new ConfusionCounts(0, 1, 0, 1));
        assertThat(c1.counts().recall()).isNaN();
        assertThat(c1.counts().precision()).isZero();

        assertThat(d.loss()).isCloseTo(Math.log(64.0 / 3), within(1e-6));
        assertThat(d.meanElementLoss()).isCloseTo(Math.log(64.0 / 3) / 4, within(1e-6));
    }

    @Test
    void saturatedWrongPixelCostsLogOfOneOverEps() {
        BatchShape shape = BatchShape.of(1, 1, 1, 2);
        Decomposition d = dl4j(shape, 1).decompose(new double[] {0, 1}, new double[] {100, -100});
        // both pixels are confidently wrong; in double the clip caps each at -ln(eps) = 11.5129
        assertThat(d.loss()).isCloseTo(-2 * Math.log(EPS), within(1e-9));
        assertThat(d.classes().get(0).counts()).isEqualTo(new ConfusionCounts(0, 1, 1, 0));
    }

    /**
     * DL4J's float32 network: the sigmoid saturates at exactly 1.0 or 0.0 and the clip bounds are
     * float32: float32(1e-5) for the missed positive, and for the false alarm 1 - float32(1 - 1e-5) =
     * 1.0013580e-5, so it costs 11.5116, not 11.5129, as ND4J computes it (checked against
     * LossBinaryXENT in Dl4jFloat32ConventionIT).
     */
    @Test
    void saturatedWrongPixelInFloat32CostsLogOfTheFloat32ClipBound() {
        BatchShape shape = BatchShape.of(1, 1, 1, 2);
        Decomposition d = dl4j(shape, 1).decompose(new float[] {0, 1}, new float[] {100, -100});
        double gap = 1 - (double) (float) (1 - EPS);
        assertThat(gap).isEqualTo(1.0013580322265625e-5);
        assertThat(d.classes().get(0).negativeLoss()).isCloseTo(-Math.log(gap), within(1e-6));
        assertThat(d.classes().get(0).positiveLoss()).isCloseTo(-Math.log((float) EPS), within(1e-6));
    }

    /**
     * Keras on float32 probabilities of exactly 0 and 1: the clip bounds are float32(1e-7) and
     * float32(1 - 1e-7) = 1 - 2^-23, so a negative predicted 1.0 costs 23 ln 2 = 15.942, not 16.118;
     * a perfect element costs -ln(1 - 2^-23). float64 arrays (a float64 Keras loss) keep 1 - 1e-7.
     */
    @Test
    void kerasClipsFloat32ProbabilitiesInFloat32() {
        BatchShape shape = BatchShape.of(1, 4, 1, 1);
        LossSpec spec = LossSpec.bce(Convention.KERAS, false, 4);
        double lowest = (float) 1e-7;
        double perfect = -Math.log(1 - Math.pow(2, -23));
        double float32 = (23 * Math.log(2) - Math.log(lowest) + 2 * perfect) / 4;
        double float64 = (-Math.log(1 - (1 - 1e-7)) - Math.log(1e-7) - 2 * Math.log(1 - 1e-7)) / 4;

        Decomposition single =
                new Decomposer(shape, Layout.NHWC, spec).decompose(new float[] {0, 1, 0, 1}, new float[] {1, 0, 0, 1});
        Decomposition full = new Decomposer(shape, Layout.NHWC, spec)
                .decompose(new double[] {0, 1, 0, 1}, new double[] {1, 0, 0, 1});

        assertThat(single.loss()).isCloseTo(float32, within(1e-7 * float32));
        assertThat(single.classes().get(0).loss()).isCloseTo(23 * Math.log(2) / 4, within(4e-7));
        assertThat(full.loss()).isCloseTo(float64, within(1e-12 * float64));
        assertThat(full.loss() / single.loss() - 1)
                .as("the float64 answer is too high for float32 arrays")
                .isGreaterThan(0.005);
    }

    /**
     * PyTorch's BCEWithLogitsLoss computes (1 - y) z - ln sigmoid(z): for a confident negative the two
     * terms cancel in float32, so z = -10 costs 4.57763671875e-5 (the float32 step at 10) instead of
     * 4.5399e-5, and z = -20 costs exactly 0. Keras on TensorFlow computes ln1p(e^-|z|) directly.
     */
    @Test
    void torchLogitsCancelInFloat32AsPyTorchDoes() {
        BatchShape shape = BatchShape.of(1, 2, 1, 1);
        float[] truth = {0, 0};
        float[] logits = {-10, -20};
        Decomposition torch =
                new Decomposer(shape, Layout.NCHW, LossSpec.bce(Convention.TORCH, true, 2)).decompose(truth, logits);
        Decomposition keras =
                new Decomposer(shape, Layout.NCHW, LossSpec.bce(Convention.KERAS, true, 2)).decompose(truth, logits);
        assertThat(torch.classes().get(0).loss() * 2).isEqualTo(4.57763671875e-5);
        assertThat(torch.classes().get(1).loss()).isZero();
        assertThat(keras.classes().get(0).loss() * 2).isCloseTo(Math.log1p(Math.exp(-10)), within(1e-12));
        assertThat(keras.classes().get(1).loss() * 2).isCloseTo(Math.log1p(Math.exp(-20)), within(1e-15));
    }

    /**
     * PyTorch's BCELoss takes ln1p(-p) for a negative (exact for a tiny p), Keras on TensorFlow
     * ln(1 - p) of a float32 1 - p: p = 1e-8 costs 1e-8 on torch and 0 on Keras.
     */
    @Test
    void negativesOfTinyProbabilityFollowEachFrameworksLogarithm() {
        BatchShape shape = BatchShape.of(1, 1, 1, 1);
        float[] truth = {0};
        float[] probability = {1e-8f};
        double torch = new Decomposer(shape, Layout.NCHW, LossSpec.bce(Convention.TORCH, false, 1))
                .decompose(truth, probability)
                .loss();
        double kerasTorch = new Decomposer(shape, Layout.NCHW, LossSpec.bce(Convention.KERAS_TORCH, false, 1))
                .decompose(truth, probability)
                .loss();
        double keras = new Decomposer(shape, Layout.NCHW, LossSpec.bce(Convention.KERAS, false, 1))
                .decompose(truth, probability)
                .loss();
        assertThat(torch).isCloseTo(1e-8, within(1e-15));
        // Keras clips to float32(1e-7) first; then torch's ln1p keeps it, TensorFlow's 1 - p rounds it
        assertThat(kerasTorch).isCloseTo((float) 1e-7, within(1e-14));
        assertThat(keras).isCloseTo(-Math.log(1 - Math.pow(2, -23)), within(1e-14));
    }

    /**
     * Keras' focal loss from logits: on TensorFlow the sigmoid output carries its logits and the
     * cross-entropy comes from them (a negative at z = 20 costs 20); on torch and JAX the float32
     * sigmoid is 1.0, clipped to 1 - 2^-23, and costs 23 ln 2. The focal factor is 1 either way.
     */
    @Test
    void kerasFocalFromLogitsDependsOnTheBackend() {
        BatchShape shape = BatchShape.of(1, 1, 1, 1);
        float[] truth = {0};
        float[] logit = {20};
        double tensorFlow = focal(Convention.KERAS, shape, truth, logit);
        double torch = focal(Convention.KERAS_TORCH, shape, truth, logit);
        double jax = focal(Convention.KERAS_JAX, shape, truth, logit);
        assertThat(tensorFlow).isCloseTo(20, within(1e-6));
        assertThat(torch).isCloseTo(23 * Math.log(2), within(1e-6));
        assertThat(jax).isEqualTo(torch);
    }

    private static double focal(Convention convention, BatchShape shape, float[] truth, float[] logit) {
        LossSpec spec = LossSpec.of(LossFunction.FOCAL, convention, true, new double[] {1});
        return new Decomposer(shape, Layout.NCHW, spec).decompose(truth, logit).loss();
    }

    @Test
    void classAbsentFromTruthAndPredictionHasUndefinedIouNotZero() {
        BatchShape shape = BatchShape.of(2, 1, 2, 2);
        float[] truth = new float[8];
        float[] logits = new float[8];
        java.util.Arrays.fill(logits, -4f);
        ClassBreakdown c = dl4j(shape, 1).decompose(truth, logits).classes().get(0);
        assertThat(c.counts().iou()).isNaN();
        assertThat(c.counts().dice()).isNaN();
        assertThat(c.counts().tn()).isEqualTo(8);
        float p = 1f / (1f + (float) Math.exp(4)); // DL4J's float32 sigmoid, then 1 - p in float32
        assertThat(c.meanNegativeLoss()).isCloseTo(-Math.log(1f - p), within(1e-9));
        assertThat(c.state()).isEqualTo(ClassState.ABSENT_CORRECT);
    }

    @Test
    void weightsScaleTheTermAndReductionDividesByImages() {
        BatchShape shape = BatchShape.of(2, 2, 1, 1);
        float[] truth = {1, 0, 1, 0}; // n0: c0=1, c1=0; n1: c0=1, c1=0
        float[] logits = {0, 0, 0, 0}; // every loss ln 2
        Decomposition d = dl4j(shape, 1, 3).decompose(truth, logits);
        double ln2 = Math.log(2);
        assertThat(d.classes().get(0).loss()).isCloseTo(2 * ln2 / 2, within(TIGHT));
        assertThat(d.classes().get(1).loss()).isCloseTo(3 * 2 * ln2 / 2, within(TIGHT));
        assertThat(d.loss()).isCloseTo(4 * ln2, within(TIGHT));
        assertThat(d.meanElementLoss()).isCloseTo((2 * ln2 + 6 * ln2) / 4, within(TIGHT));
    }

    @Test
    void softTargetsUseBothLogTerms() {
        BatchShape shape = BatchShape.of(1, 1, 1, 1);
        Decomposition d = dl4j(shape, 1).decompose(new float[] {0.25f}, new float[] {0});
        assertThat(d.loss()).isCloseTo(Math.log(2), within(1e-7));
        assertThat(d.classes().get(0).negativeLoss()).isEqualTo(d.loss()); // 0.25 < 0.5: a negative pixel
    }

    /**
     * BCE on float64 logits against the plain formula, soft targets and pos_weight: the fast path of
     * keras-jax (products of factors), TensorFlow's weighted formula and PyTorch's agree to rounding.
     */
    @Test
    void bceOnLogitsMatchesThePlainFormulaInEveryConvention() {
        BatchShape shape = BatchShape.of(2, 2, 40, 40);
        Random random = new Random(11);
        double[] truth = new double[shape.elements()];
        double[] logits = new double[shape.elements()];
        for (int i = 0; i < truth.length; i++) {
            double u = random.nextDouble();
            truth[i] = u < 0.1 ? 1 : u < 0.2 ? random.nextDouble() : 0;
            logits[i] = random.nextGaussian() * 10;
        }
        double[] posWeights = {3, 0.5};
        double reference = 0;
        for (int i = 0; i < truth.length; i++) {
            int c = (i / shape.pixels()) % 2;
            double z = logits[i];
            double y = truth[i];
            double softplusMinus = Math.log1p(Math.exp(-Math.abs(z))) + Math.max(-z, 0);
            double softplusPlus = Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
            reference += (c == 0 ? 1 : 2) * (posWeights[c] * y * softplusMinus + (1 - y) * softplusPlus);
        }
        reference /= shape.elements();
        for (Convention convention :
                new Convention[] {Convention.KERAS, Convention.KERAS_JAX, Convention.TORCH, Convention.KERAS_TORCH}) {
            LossSpec spec = new LossSpec(
                    LossFunction.BCE,
                    convention,
                    true,
                    new double[] {1, 2},
                    posWeights,
                    2,
                    Double.NaN,
                    LossSpec.DiceMode.MICRO,
                    1,
                    false,
                    0.5);
            Decomposition d = new Decomposer(shape, Layout.NCHW, spec).decompose(truth, logits);
            assertThat(d.loss()).as(convention.label()).isCloseTo(reference, within(1e-12 * reference));
        }
    }

    @Test
    void channelsLastGivesTheSameAnswerAsChannelsFirst() {
        BatchShape shape = BatchShape.of(3, 4, 5, 6);
        Random random = new Random(1);
        float[] truthNchw = randomMask(random, shape.elements());
        float[] logitsNchw = randomLogits(random, shape.elements());
        float[] truthNhwc = toChannelsLast(truthNchw, shape);
        float[] logitsNhwc = toChannelsLast(logitsNchw, shape);
        double[] ones = {1, 1, 1, 1};

        Decomposition first = dl4j(shape, ones).decompose(truthNchw, logitsNchw);
        Decomposition last = new Decomposer(
                        shape, Layout.NHWC, LossSpec.of(LossFunction.BCE, Convention.DL4J, true, ones))
                .decompose(truthNhwc, logitsNhwc);

        assertThat(last).isEqualTo(first);
    }

    /**
     * The engine against a plain reference in float32, as ND4J computes it: sigmoid, clip, two logs,
     * one loop, no decomposition. Logits up to +-18 saturate the sigmoid and the clip.
     */
    @Test
    void termsAddUpToAnIndependentlyComputedLoss() {
        BatchShape shape = BatchShape.of(4, 5, 8, 8);
        Random random = new Random(7);
        float[] truth = randomMask(random, shape.elements());
        float[] logits = randomLogits(random, shape.elements());
        double[] weights = {1, 2, 0.5, 1, 10};

        Decomposition d = dl4j(shape, weights).decompose(truth, logits);

        double reference = 0;
        int hw = shape.pixels();
        float low = (float) EPS;
        float high = (float) (1 - EPS);
        for (int i = 0; i < truth.length; i++) {
            int c = (i / hw) % shape.classes();
            float p = 1f / (1f + (float) Math.exp(-logits[i]));
            p = Math.min(high, Math.max(low, p));
            float element = (float) Math.log(p) * truth[i] + (float) Math.log(1f - p) * (1f - truth[i]);
            reference += weights[c] * -element;
        }
        reference /= shape.batch();

        double sumOfTerms =
                d.classes().stream().mapToDouble(ClassBreakdown::loss).sum();
        double sumOfParts = d.classes().stream()
                .mapToDouble(c -> c.positiveLoss() + c.negativeLoss())
                .sum();
        assertThat(d.loss()).isCloseTo(reference, within(1e-7 * reference));
        assertThat(sumOfTerms).isCloseTo(d.loss(), within(1e-12 * d.loss()));
        assertThat(sumOfParts).isCloseTo(d.loss(), within(1e-12 * d.loss()));
        for (ClassBreakdown c : d.classes()) {
            assertThat(c.counts().total()).isEqualTo(shape.pixelsPerClass());
        }
    }

    /** Micro Dice pools both classes: 1 - (2I + s)/(U + s) with I = 0.5, U = 2.25, s = 1. */
    @Test
    void microDiceSplitsIntoClassTermsByHand() {
        BatchShape shape = BatchShape.of(1, 2, 1, 2);
        double[] truth = {1, 0, 0, 0};
        double[] probabilities = {0.5, 0.5, 0.25, 0};
        LossSpec spec = LossSpec.of(LossFunction.DICE, Convention.TORCH, false, new double[] {1, 1});
        assertThat(spec.smooth()).isEqualTo(1);
        Decomposition d = new Decomposer(shape, Layout.NCHW, spec).decompose(truth, probabilities);
        assertThat(d.loss()).isCloseTo(1 - 2 / 3.25, within(TIGHT));
        assertThat(d.classes().get(0).loss()).isCloseTo(1 / 3.25, within(TIGHT));
        assertThat(d.classes().get(0).positiveLoss()).isCloseTo(0.5 / 3.25, within(TIGHT));
        assertThat(d.classes().get(0).negativeLoss()).isCloseTo(0.5 / 3.25, within(TIGHT));
        assertThat(d.classes().get(1).loss()).isCloseTo(0.25 / 3.25, within(TIGHT));
        assertThat(d.meanElementLoss()).isNaN();
    }

    /**
     * Keras' Dice(): 1 - 2I / (U + 1e-7), no smoothing. I = 0.5, U = 2.25: loss 1 - 1/(2.25 + 1e-7); the
     * epsilon's share e / (U + e) is split equally between the classes, into their negative parts.
     */
    @Test
    void kerasDiceDefaultsToItsEpsilonWithoutSmoothing() {
        BatchShape shape = BatchShape.of(1, 2, 1, 2);
        double[] truth = {1, 0, 0, 0};
        double[] probabilities = {0.5, 0.5, 0.25, 0};
        LossSpec spec = LossSpec.of(LossFunction.DICE, Convention.KERAS, false, new double[] {1, 1});
        Decomposition d = new Decomposer(shape, Layout.NCHW, spec).decompose(truth, probabilities);
        double denominator = 2.25 + 1e-7;
        assertThat(d.loss()).isCloseTo(1 - 1 / denominator, within(TIGHT));
        assertThat(d.classes().get(0).positiveLoss()).isCloseTo(0.5 / denominator, within(TIGHT));
        assertThat(d.classes().get(0).negativeLoss()).isCloseTo((0.5 + 0.5e-7) / denominator, within(TIGHT));
        assertThat(d.classes().get(1).loss()).isCloseTo((0.25 + 0.5e-7) / denominator, within(TIGHT));

        // an empty class never predicted, alone: Keras gives 1 - 0 / 1e-7 = 1, all of it the epsilon's
        BatchShape one = BatchShape.of(1, 1, 1, 2);
        LossSpec single = LossSpec.of(LossFunction.DICE, Convention.KERAS, false, new double[] {1});
        Decomposition empty = new Decomposer(one, Layout.NCHW, single).decompose(new double[2], new double[2]);
        assertThat(empty.loss()).isEqualTo(1);
        assertThat(empty.classes().get(0).negativeLoss()).isEqualTo(1);
    }

    /** Macro Dice: D0 = 2/3, D1 = 0.8, loss = 1 - mean = 4/15; terms (1 - D_c) / C. */
    @Test
    void macroDiceSplitsIntoClassTermsByHand() {
        BatchShape shape = BatchShape.of(1, 2, 1, 2);
        double[] truth = {1, 0, 0, 0};
        double[] probabilities = {0.5, 0.5, 0.25, 0};
        LossSpec micro = LossSpec.of(LossFunction.DICE, Convention.TORCH, false, new double[] {1, 1});
        LossSpec spec = new LossSpec(
                micro.function(),
                micro.convention(),
                false,
                micro.classWeights(),
                micro.posWeights(),
                2,
                Double.NaN,
                LossSpec.DiceMode.MACRO,
                1,
                false,
                0.5);
        Decomposition d = new Decomposer(shape, Layout.NCHW, spec).decompose(truth, probabilities);
        assertThat(d.loss()).isCloseTo(4.0 / 15, within(TIGHT));
        assertThat(d.classes().get(0).loss()).isCloseTo(1.0 / 6, within(TIGHT));
        assertThat(d.classes().get(1).loss()).isCloseTo(0.1, within(TIGHT));
    }

    /** Softmax of logits [0, ln 2, 0] is [1/4, 1/2, 1/4]; the label is class 1, so the loss is ln 2. */
    @Test
    void categoricalLossBelongsToTheTrueClass() {
        BatchShape shape = BatchShape.of(1, 3, 1, 1);
        double[] truth = {0, 1, 0};
        double[] logits = {0, Math.log(2), 0};
        Decomposition d = new Decomposer(
                        shape, Layout.NHWC, LossSpec.of(LossFunction.CCE, Convention.KERAS, true, new double[] {1, 1, 1
                        }))
                .decompose(truth, logits);
        assertThat(d.loss()).isCloseTo(Math.log(2), within(TIGHT));
        assertThat(d.classes().get(1).loss()).isCloseTo(Math.log(2), within(TIGHT));
        assertThat(d.classes().get(0).loss()).isZero();
        assertThat(d.classes().get(1).counts()).isEqualTo(new ConfusionCounts(1, 0, 0, 0));
        assertThat(d.classes().get(0).state()).isEqualTo(ClassState.ABSENT_CORRECT);

        // torch with index labels divides by the summed weights of the targets: 3 ln 2 / 3
        LossSpec weighted = new LossSpec(
                LossFunction.CCE,
                Convention.TORCH,
                true,
                new double[] {1, 3, 1},
                LossSpec.ones(3),
                2,
                Double.NaN,
                LossSpec.DiceMode.MICRO,
                1,
                true,
                0.5);
        assertThat(new Decomposer(shape, Layout.NHWC, weighted)
                        .decompose(truth, logits)
                        .loss())
                .isCloseTo(Math.log(2), within(TIGHT));
    }

    /** Logit 0: p = 0.5, BCE ln 2, (1 - p_t)^2 = 1/4, alpha_t = 0.25 for a positive. */
    @Test
    void focalScalesCrossEntropyByHand() {
        BatchShape shape = BatchShape.of(1, 1, 1, 1);
        LossSpec spec = new LossSpec(
                LossFunction.FOCAL,
                Convention.TORCH,
                true,
                new double[] {1},
                new double[] {1},
                2,
                0.25,
                LossSpec.DiceMode.MICRO,
                1,
                false,
                0.5);
        Decomposition d = new Decomposer(shape, Layout.NCHW, spec).decompose(new double[] {1}, new double[] {0});
        assertThat(d.loss()).isCloseTo(0.25 * 0.25 * Math.log(2), within(TIGHT));
    }

    /** Micro IoU pools counts; macro skips a class absent and unpredicted; frequency weights by positives. */
    @Test
    void iouAveragesFollowTheirDocumentedRules() {
        BatchShape shape = BatchShape.of(1, 3, 1, 4);
        double[] truth = {
            1, 1, 1, 0, // class 0: 3 positives
            1, 0, 0, 0, // class 1: 1 positive
            0, 0, 0, 0, // class 2: absent
        };
        double[] logits = {
            5, 5, 5, -5, // class 0: IoU 1
            -5, -5, -5, -5, // class 1: missed, IoU 0
            -5, -5, -5, -5, // class 2: absent and not predicted
        };
        Decomposition d = dl4jDouble(shape).decompose(truth, logits);
        assertThat(d.classes().get(2).state()).isEqualTo(ClassState.ABSENT_CORRECT);
        assertThat(d.iou().micro()).isCloseTo(3.0 / 4, within(TIGHT));
        assertThat(d.iou().macro()).isCloseTo(0.5, within(TIGHT));
        assertThat(d.iou().frequencyWeighted()).isCloseTo(3.0 / 4, within(TIGHT));
        assertThat(d.iou().hiddenClassGap()).isCloseTo(0.25, within(TIGHT));
    }

    private static Decomposer dl4jDouble(BatchShape shape) {
        return new Decomposer(shape, Layout.NCHW, LossSpec.bce(Convention.DL4J, true, shape.classes()));
    }

    /** Threads change nothing: blocks are reduced in a fixed order. */
    @Test
    void largeBatchesGiveTheSameResultOnEveryCall() {
        BatchShape shape = BatchShape.of(4, 5, 64, 64);
        Random random = new Random(3);
        float[] truth = randomMask(random, shape.elements());
        float[] logits = randomLogits(random, shape.elements());
        Decomposer decomposer = new Decomposer(shape, Layout.NCHW, LossSpec.bce(Convention.DL4J, true, 5));
        Decomposition first = decomposer.decompose(truth, logits);
        for (int i = 0; i < 5; i++) {
            assertThat(decomposer.decompose(truth, logits)).isEqualTo(first);
        }
    }

    @Test
    void rejectsArraysOfTheWrongSize() {
        Decomposer decomposer = dl4j(BatchShape.of(1, 1, 2, 2), 1);
        assertThatThrownBy(() -> decomposer.decompose(new float[4], new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 4 values");
        assertThatThrownBy(() -> dl4j(BatchShape.of(1, 2, 1, 1), 1))
                .hasMessageContaining("1 class weights but the batch has 2 classes");
    }

    private static float[] randomMask(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble() < 0.2 ? 1 : 0;
        }
        return a;
    }

    private static float[] randomLogits(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * 6);
        }
        return a;
    }

    @Test
    void conventionsHaveTheirFrameworksDefaults() {
        double[] two = {1, 1};
        LossSpec kerasDice = LossSpec.of(LossFunction.DICE, Convention.KERAS, false, two);
        assertThat(kerasDice.smooth()).isZero();
        assertThat(kerasDice.diceEpsilon()).isEqualTo(1e-7);
        assertThat(LossSpec.of(LossFunction.DICE, Convention.DL4J, false, two).smooth())
                .isEqualTo(1);
        assertThat(LossSpec.of(LossFunction.FOCAL, Convention.KERAS, false, two).alpha())
                .isNaN();
        assertThat(LossSpec.of(LossFunction.FOCAL, Convention.TORCH, true, two).alpha())
                .isEqualTo(0.25);
        assertThat(LossSpec.of(LossFunction.FOCAL, Convention.TORCH, true, two).gamma())
                .isEqualTo(2);
        assertThat(Convention.parse("pytorch")).isEqualTo(Convention.TORCH);
        assertThat(Convention.parse("keras-jax")).isEqualTo(Convention.KERAS_JAX);
        assertThat(Convention.KERAS_TORCH.label()).isEqualTo("keras-torch");
        assertThat(Convention.KERAS.defaultPrecision(Precision.FLOAT64)).isEqualTo(Precision.FLOAT32);
        assertThat(Convention.TORCH.defaultPrecision(Precision.FLOAT64)).isEqualTo(Precision.FLOAT64);
        // the old constructor keeps its meaning: smoothing alone, no epsilon
        LossSpec old = new LossSpec(
                LossFunction.DICE,
                Convention.KERAS,
                false,
                two,
                two,
                2,
                Double.NaN,
                LossSpec.DiceMode.MICRO,
                1,
                false,
                0.5);
        assertThat(old.diceEpsilon()).isZero();
    }

    private static float[] toChannelsLast(float[] nchw, BatchShape s) {
        float[] out = new float[nchw.length];
        int hw = s.pixels();
        for (int n = 0; n < s.batch(); n++) {
            for (int c = 0; c < s.classes(); c++) {
                for (int p = 0; p < hw; p++) {
                    out[(n * hw + p) * s.classes() + c] = nchw[(n * s.classes() + c) * hw + p];
                }
            }
        }
        return out;
    }
}
