package io.lossprism.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.loss.BatchShape;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Convention;
import io.lossprism.loss.Decomposer;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sums in, class terms out: checked by hand, and against the Decomposer on the arrays the sums came from. */
class ReportAssemblerTest {

    private static final double EXACT = 1e-12;

    private static IngestLoss loss(LossFunction f, Convention convention, double[] weights) {
        return new IngestLoss(LossSpec.of(f, convention, false, weights), 1, 1);
    }

    private static ClassSums crossEntropy(double pos, double neg, long positives, long tp, long fp, long fn, long tn) {
        return new ClassSums(
                pos, neg, positives, tp + fp + fn + tn, tp, fp, fn, tn, Double.NaN, Double.NaN, Double.NaN);
    }

    private static BatchRecord record(double loss, ClassSums... classes) {
        return new BatchRecord(7, 1, "train", 2, loss, 0, List.of(classes));
    }

    @Test
    void kerasBceDividesByEveryElementOfEveryClass() {
        var assembler = new ReportAssembler(
                "ext-1", List.of("road", "car"), loss(LossFunction.BCE, Convention.KERAS, new double[] {1, 1}));

        BatchReport r = assembler.assemble(
                record(0.1501, crossEntropy(1.2, 0.4, 2, 1, 1, 1, 5), crossEntropy(0, 0.8, 0, 0, 0, 0, 8)), 99);

        // 2 classes x 8 elements = 16
        ClassReport road = r.classes().get(0);
        ClassReport car = r.classes().get(1);
        assertThat(road.positiveLoss()).isCloseTo(1.2 / 16, offset(EXACT));
        assertThat(road.negativeLoss()).isCloseTo(0.4 / 16, offset(EXACT));
        assertThat(road.loss()).isCloseTo(0.1, offset(EXACT));
        assertThat(car.loss()).isCloseTo(0.05, offset(EXACT));
        assertThat(r.loss()).isCloseTo(0.15, offset(EXACT));
        assertThat(r.reportedLoss()).isEqualTo(0.1501);
        assertThat(r.residual()).isCloseTo(0.0001, offset(1e-12));
        assertThat(r.meanElementLoss()).isCloseTo(2.4 / 16, offset(EXACT));
        assertThat(road.iou()).isCloseTo(1.0 / 3, offset(EXACT));
        assertThat(road.dice()).isCloseTo(0.5, offset(EXACT));
        assertThat(road.precision()).isCloseTo(0.5, offset(EXACT));
        assertThat(road.recall()).isCloseTo(0.5, offset(EXACT));
        assertThat(road.prevalence()).isCloseTo(0.25, offset(EXACT));
        assertThat(road.meanPositiveLoss()).isCloseTo(0.6, offset(EXACT));
        assertThat(road.meanNegativeLoss()).isCloseTo(0.4 / 6, offset(EXACT));
        assertThat(car.iou()).isNaN();
        assertThat(car.meanPositiveLoss()).isNaN();
        assertThat(car.prevalence()).isZero();
        assertThat(r.iteration()).isEqualTo(7);
        assertThat(r.epoch()).isEqualTo(1);
        assertThat(r.split()).isEqualTo("train");
        assertThat(r.timestamp()).isEqualTo(99);
        assertThat(r.convention()).isEqualTo("keras");
        assertThat(r.classes()).extracting(ClassReport::name).containsExactly("road", "car");
    }

    @Test
    void dl4jDividesByImagesAndMeansUndoTheClassWeight() {
        var assembler =
                new ReportAssembler("ext-1", List.of("a"), loss(LossFunction.BCE, Convention.DL4J, new double[] {2}));

        BatchReport r = assembler.assemble(record(Double.NaN, crossEntropy(1.2, 0.4, 2, 1, 1, 1, 5)), 0);

        assertThat(r.loss()).isCloseTo(1.6 / 2, offset(EXACT));
        assertThat(r.classes().get(0).meanPositiveLoss()).isCloseTo(1.2 / 2 / 2, offset(EXACT));
        assertThat(r.reportedLoss()).isNaN();
        assertThat(r.residual()).isNaN();
    }

    @Test
    void microDiceSplitsOneMinusDiceByClass() {
        var spec = new LossSpec(
                LossFunction.DICE,
                Convention.TORCH,
                false,
                LossSpec.ones(2),
                LossSpec.ones(2),
                2,
                Double.NaN,
                LossSpec.DiceMode.MICRO,
                1,
                0,
                false,
                0.5);
        var assembler = new ReportAssembler("ext-1", List.of("a", "b"), new IngestLoss(spec, 1, 1));
        ClassSums a = new ClassSums(Double.NaN, Double.NaN, 5, 10, 3, 1, 2, 4, 3, 4, 5);
        ClassSums b = new ClassSums(Double.NaN, Double.NaN, 0, 10, 0, 1, 0, 9, 0, 1, 0);

        BatchReport r = assembler.assemble(record(Double.NaN, a, b), 0);

        // U = 10, 1 - (2 * 3 + 1) / (10 + 1) = 4/11; class a (9 - 6)/11, class b 1/11
        assertThat(r.loss()).isCloseTo(4.0 / 11, offset(EXACT));
        assertThat(r.classes().get(0).positiveLoss()).isCloseTo(2.0 / 11, offset(EXACT));
        assertThat(r.classes().get(0).negativeLoss()).isCloseTo(1.0 / 11, offset(EXACT));
        assertThat(r.classes().get(1).loss()).isCloseTo(1.0 / 11, offset(EXACT));
        assertThat(r.meanElementLoss()).isNaN();
        assertThat(r.classes().get(0).meanPositiveLoss()).isNaN();
    }

    @Test
    void bceDiceWeighsItsTwoParts() {
        var spec = LossSpec.of(LossFunction.BCE_DICE, Convention.TORCH, false, LossSpec.ones(1));
        var assembler = new ReportAssembler("ext-1", List.of("a"), new IngestLoss(spec, 0.5, 2));
        ClassSums a = new ClassSums(8, 4, 5, 10, 3, 1, 2, 4, 3, 4, 5);

        BatchReport r = assembler.assemble(record(Double.NaN, a), 0);

        // 0.5 * 12 / 10 + 2 * (9 - 6) / (9 + 1)
        assertThat(r.loss()).isCloseTo(0.5 * 1.2 + 2 * 0.3, offset(EXACT));
        assertThat(r.classes().get(0).positiveLoss()).isCloseTo(0.5 * 0.8 + 2 * 0.2, offset(EXACT));
    }

    /** Element losses and sums computed here in float32, as a Keras client would: the Decomposer's terms. */
    @Test
    void kerasBceSumsGiveTheDecomposersClassTerms() {
        int n = 2;
        int classes = 3;
        int pixels = 64;
        double[] weights = {1, 2, 0.5};
        Random random = new Random(11);
        float[] truth = new float[n * classes * pixels];
        float[] prediction = new float[truth.length];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = random.nextInt(4) == 0 ? 1 : 0;
            // some saturated values, which the clip decides
            prediction[i] = random.nextInt(10) == 0 ? (random.nextBoolean() ? 0f : 1f) : random.nextFloat();
        }
        LossSpec spec = LossSpec.of(LossFunction.BCE, Convention.KERAS, false, weights);
        Decomposition expected =
                new Decomposer(new BatchShape(n, classes, pixels), Layout.NCHW, spec).decompose(truth, prediction);

        List<ClassSums> sums = new ArrayList<>();
        float low = (float) 1e-7;
        float high = (float) (1 - 1e-7);
        float total = 0;
        for (int c = 0; c < classes; c++) {
            float pos = 0;
            float neg = 0;
            long positives = 0;
            long tp = 0;
            long fp = 0;
            for (int item = 0; item < n; item++) {
                for (int p = 0; p < pixels; p++) {
                    int i = (item * classes + c) * pixels + p;
                    float clipped = Math.max(low, Math.min(high, prediction[i]));
                    boolean predicted = prediction[i] > 0.5f;
                    if (truth[i] == 1) {
                        pos += (float) weights[c] * -(float) Math.log(clipped);
                        positives++;
                        tp += predicted ? 1 : 0;
                    } else {
                        neg += (float) weights[c] * -(float) Math.log(1f - clipped);
                        fp += predicted ? 1 : 0;
                    }
                }
            }
            total += pos + neg;
            long elements = (long) n * pixels;
            sums.add(new ClassSums(
                    pos,
                    neg,
                    positives,
                    elements,
                    tp,
                    fp,
                    positives - tp,
                    elements - positives - fp,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN));
        }
        float reported = total / truth.length;
        var assembler = new ReportAssembler("ext-1", List.of("a", "b", "c"), new IngestLoss(spec, 1, 1));

        BatchReport r = assembler.assemble(new BatchRecord(1, 0, "train", n, reported, 0, sums), 0);

        assertSameTerms(r, expected);
        assertThat(r.residual()).isCloseTo(0, offset(1e-6));
    }

    @Test
    void diceSumsGiveTheDecomposersClassTermsMicroAndMacro() {
        int n = 3;
        int classes = 2;
        int pixels = 50;
        Random random = new Random(5);
        float[] truth = new float[n * classes * pixels];
        float[] prediction = new float[truth.length];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = random.nextInt(3) == 0 ? 1 : 0;
            prediction[i] = random.nextFloat();
        }
        for (LossSpec.DiceMode mode : LossSpec.DiceMode.values()) {
            LossSpec spec = new LossSpec(
                    LossFunction.DICE,
                    Convention.KERAS,
                    false,
                    LossSpec.ones(classes),
                    LossSpec.ones(classes),
                    2,
                    Double.NaN,
                    mode,
                    0,
                    1e-7,
                    false,
                    0.5);
            Decomposition expected =
                    new Decomposer(new BatchShape(n, classes, pixels), Layout.NCHW, spec).decompose(truth, prediction);
            List<ClassSums> sums = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                float intersection = 0;
                float predictionSum = 0;
                float truthSum = 0;
                long positives = 0;
                long tp = 0;
                long fp = 0;
                for (int item = 0; item < n; item++) {
                    for (int p = 0; p < pixels; p++) {
                        int i = (item * classes + c) * pixels + p;
                        intersection += truth[i] * prediction[i];
                        predictionSum += prediction[i];
                        truthSum += truth[i];
                        boolean predicted = prediction[i] > 0.5f;
                        positives += truth[i] == 1 ? 1 : 0;
                        tp += truth[i] == 1 && predicted ? 1 : 0;
                        fp += truth[i] == 0 && predicted ? 1 : 0;
                    }
                }
                long elements = (long) n * pixels;
                sums.add(new ClassSums(
                        Double.NaN,
                        Double.NaN,
                        positives,
                        elements,
                        tp,
                        fp,
                        positives - tp,
                        elements - positives - fp,
                        intersection,
                        predictionSum,
                        truthSum));
            }
            var assembler = new ReportAssembler("ext-1", List.of("a", "b"), new IngestLoss(spec, 1, 1));

            BatchReport r = assembler.assemble(new BatchRecord(1, 0, "train", n, Double.NaN, 0, sums), 0);

            assertSameTerms(r, expected);
        }
    }

    private static void assertSameTerms(BatchReport r, Decomposition expected) {
        assertThat(r.loss()).isCloseTo(expected.loss(), withinPercentage(0.002));
        for (int c = 0; c < expected.classes().size(); c++) {
            ClassBreakdown e = expected.classes().get(c);
            ClassReport a = r.classes().get(c);
            assertThat(a.loss()).as("class %d term", c).isCloseTo(e.loss(), withinPercentage(0.002));
            assertThat(a.positiveLoss())
                    .as("class %d positive", c)
                    .isCloseTo(e.positiveLoss(), withinPercentage(0.002));
            assertThat(a.negativeLoss())
                    .as("class %d negative", c)
                    .isCloseTo(e.negativeLoss(), withinPercentage(0.002));
            assertThat(a.tp()).isEqualTo(e.counts().tp());
            assertThat(a.fp()).isEqualTo(e.counts().fp());
            assertThat(a.fn()).isEqualTo(e.counts().fn());
            assertThat(a.tn()).isEqualTo(e.counts().tn());
            assertThat(a.prevalence()).isCloseTo(e.prevalence(), offset(EXACT));
            if (Double.isNaN(e.meanPositiveLoss())) {
                assertThat(a.meanPositiveLoss()).isNaN();
            } else {
                assertThat(a.meanPositiveLoss()).isCloseTo(e.meanPositiveLoss(), withinPercentage(0.002));
            }
        }
        if (Double.isNaN(expected.meanElementLoss())) {
            assertThat(r.meanElementLoss()).isNaN();
        } else {
            assertThat(r.meanElementLoss()).isCloseTo(expected.meanElementLoss(), withinPercentage(0.002));
        }
    }
}
