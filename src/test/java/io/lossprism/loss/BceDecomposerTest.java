package io.lossprism.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BceDecomposerTest {

    private static final double EPS = 1e-5;
    private static final double TIGHT = 1e-12;

    private static BceDecomposer dl4j(BatchShape shape, double... weights) {
        return new BceDecomposer(shape, Layout.NCHW, Reduction.SUM_PER_IMAGE, EPS, weights, 0.5);
    }

    /** One image, two classes, two pixels: every number below is worked out by hand. */
    @Test
    void handWorkedBatch() {
        BatchShape shape = new BatchShape(1, 2, 1, 2);
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
        BatchShape shape = new BatchShape(1, 1, 1, 2);
        Decomposition d = dl4j(shape, 1).decompose(new float[] {0, 1}, new float[] {100, -100});
        // both pixels are confidently wrong; the clip caps each at -ln(eps) = 11.5129
        assertThat(d.loss()).isCloseTo(-2 * Math.log(EPS), within(1e-9));
        assertThat(d.classes().get(0).counts()).isEqualTo(new ConfusionCounts(0, 1, 1, 0));
    }

    @Test
    void classAbsentFromTruthAndPredictionHasUndefinedIouNotZero() {
        BatchShape shape = new BatchShape(2, 1, 2, 2);
        float[] truth = new float[8];
        float[] logits = new float[8];
        java.util.Arrays.fill(logits, -4f);
        ClassBreakdown c = dl4j(shape, 1).decompose(truth, logits).classes().get(0);
        assertThat(c.counts().iou()).isNaN();
        assertThat(c.counts().dice()).isNaN();
        assertThat(c.counts().tn()).isEqualTo(8);
        assertThat(c.meanNegativeLoss()).isCloseTo(BinaryCrossEntropy.softplus(-4), within(TIGHT));
    }

    @Test
    void weightsScaleTheTermAndReductionDividesByImages() {
        BatchShape shape = new BatchShape(2, 2, 1, 1);
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
        BatchShape shape = new BatchShape(1, 1, 1, 1);
        Decomposition d = dl4j(shape, 1).decompose(new float[] {0.25f}, new float[] {0});
        assertThat(d.loss()).isCloseTo(Math.log(2), within(1e-7));
        assertThat(d.classes().get(0).negativeLoss()).isEqualTo(d.loss()); // 0.25 < 0.5: a negative pixel
    }

    @Test
    void channelsLastGivesTheSameAnswerAsChannelsFirst() {
        BatchShape shape = new BatchShape(3, 4, 5, 6);
        Random random = new Random(1);
        float[] truthNchw = randomMask(random, shape.elements());
        float[] logitsNchw = randomLogits(random, shape.elements());
        float[] truthNhwc = toChannelsLast(truthNchw, shape);
        float[] logitsNhwc = toChannelsLast(logitsNchw, shape);
        double[] ones = {1, 1, 1, 1};

        Decomposition first = dl4j(shape, ones).decompose(truthNchw, logitsNchw);
        Decomposition last = new BceDecomposer(shape, Layout.NHWC, Reduction.SUM_PER_IMAGE, EPS, ones, 0.5)
                .decompose(truthNhwc, logitsNhwc);

        assertThat(last).isEqualTo(first);
    }

    /** The engine against a plain reference: sigmoid, clip, two logs, one loop, no decomposition. */
    @Test
    void termsAddUpToAnIndependentlyComputedLoss() {
        BatchShape shape = new BatchShape(4, 5, 8, 8);
        Random random = new Random(7);
        float[] truth = randomMask(random, shape.elements());
        float[] logits = randomLogits(random, shape.elements());
        double[] weights = {1, 2, 0.5, 1, 10};

        Decomposition d = dl4j(shape, weights).decompose(truth, logits);

        double reference = 0;
        int hw = shape.pixelsPerImage();
        for (int i = 0; i < truth.length; i++) {
            int c = (i / hw) % shape.classes();
            double p = 1 / (1 + Math.exp(-logits[i]));
            p = Math.min(1 - EPS, Math.max(EPS, p));
            reference += weights[c] * -(truth[i] * Math.log(p) + (1 - truth[i]) * Math.log(1 - p));
        }
        reference /= shape.batch();

        double sumOfTerms = d.classes().stream().mapToDouble(ClassBreakdown::loss).sum();
        double sumOfParts = d.classes().stream()
                .mapToDouble(c -> c.positiveLoss() + c.negativeLoss()).sum();
        assertThat(d.loss()).isCloseTo(reference, within(1e-9 * reference));
        assertThat(sumOfTerms).isCloseTo(d.loss(), within(1e-12 * d.loss()));
        assertThat(sumOfParts).isCloseTo(d.loss(), within(1e-12 * d.loss()));
        for (ClassBreakdown c : d.classes()) {
            assertThat(c.counts().total()).isEqualTo(shape.pixelsPerClass());
        }
    }

    @Test
    void rejectsArraysOfTheWrongSize() {
        BceDecomposer decomposer = dl4j(new BatchShape(1, 1, 2, 2), 1);
        assertThatThrownBy(() -> decomposer.decompose(new float[4], new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 4 values");
        assertThatThrownBy(() -> dl4j(new BatchShape(1, 2, 1, 1), 1))
                .hasMessageContaining("expected 2 class weights");
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

    private static float[] toChannelsLast(float[] nchw, BatchShape s) {
        float[] out = new float[nchw.length];
        int hw = s.pixelsPerImage();
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
