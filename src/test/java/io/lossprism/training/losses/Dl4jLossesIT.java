package io.lossprism.training.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.loss.BatchShape;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec.DiceMode;
import io.lossprism.objective.Objective;
import io.lossprism.objective.ObjectiveDecomposer;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * LossPrism's DL4J loss functions through ND4J arrays in double precision, as CnnLossLayer calls them:
 * rows are the N*P positions, columns the classes; the layer divides the score by N. Golden values: the
 * decomposition of the same objective in the dl4j convention (DL4J's own LossBinaryXENT where it has the
 * loss); gradients: central finite differences of the score.
 */
class Dl4jLossesIT {

    private static final int ITEMS = 3;
    private static final int POSITIONS = 6;
    private static final int CLASSES = 4;
    private static final int ROWS = ITEMS * POSITIONS;
    private static final double[] ONES = {1, 1, 1, 1};
    private static final double[] WEIGHTS = {1, 2.5, 0.5, 4};
    private static final double[] POS_WEIGHTS = {1, 3, 0.7, 12};
    private static final double H = 1e-6;

    static Stream<Arguments> losses() {
        return Stream.of(
                loss(LossFunction.BCE, WEIGHTS, POS_WEIGHTS, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1),
                loss(LossFunction.FOCAL, ONES, ONES, 2, 0.25, DiceMode.MICRO, 1, 1, 1),
                loss(LossFunction.FOCAL, WEIGHTS, POS_WEIGHTS, 1.5, Double.NaN, DiceMode.MICRO, 1, 1, 1),
                loss(LossFunction.DICE, ONES, ONES, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1),
                loss(LossFunction.DICE, ONES, ONES, 2, Double.NaN, DiceMode.MACRO, 0.5, 1, 1),
                loss(
                        LossFunction.BCE_DICE,
                        ONES,
                        ONES,
                        2,
                        Double.NaN,
                        DiceMode.MICRO,
                        1,
                        1.0 / (CLASSES * POSITIONS),
                        1),
                loss(LossFunction.BCE_DICE, WEIGHTS, POS_WEIGHTS, 2, Double.NaN, DiceMode.MACRO, 2, 0.3, 2.5));
    }

    private static Arguments loss(
            LossFunction f,
            double[] weights,
            double[] posWeights,
            double gamma,
            double alpha,
            DiceMode dice,
            double smooth,
            double a,
            double b) {
        Objective objective = Objective.dl4j(f, weights, posWeights, gamma, alpha, dice, smooth, a, b);
        ILossFunction dl4j = Losses.forDl4j(objective, POSITIONS);
        return Arguments.of(dl4j.toString(), objective, dl4j);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void scoreIsTheDecomposedLossTimesTheImages(String name, Objective objective, ILossFunction loss) {
        double[] labels = labels(1);
        double[] logits = logits(2);

        double score = loss.computeScore(array(labels), array(logits), new ActivationSigmoid(), null, false);
        double expected = new ObjectiveDecomposer(new BatchShape(ITEMS, CLASSES, POSITIONS), Layout.NHWC, objective)
                .decompose(labels, logits)
                .loss();

        assertThat(score / ITEMS).isCloseTo(expected, within(1e-12 * expected));
        double averaged = loss.computeScore(array(labels), array(logits), new ActivationSigmoid(), null, true);
        assertThat(averaged).isCloseTo(score / ROWS, within(1e-12 * score));
        INDArray perRow = loss.computeScoreArray(array(labels), array(logits), new ActivationSigmoid(), null);
        assertThat(perRow.shape()).containsExactly(ROWS, 1);
        assertThat(perRow.sumNumber().doubleValue()).isCloseTo(score, within(1e-12 * score));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientIsExact(String name, Objective objective, ILossFunction loss) {
        double[] labels = labels(3);
        double[] logits = logits(4);
        INDArray y = array(labels);
        Pair<Double, INDArray> both =
                loss.computeGradientAndScore(y, array(logits), new ActivationSigmoid(), null, false);
        double[] gradient = flat(loss.computeGradient(y, array(logits), new ActivationSigmoid(), null));

        assertThat(both.getFirst())
                .isEqualTo(loss.computeScore(y, array(logits), new ActivationSigmoid(), null, false));
        assertThat(flat(both.getSecond())).containsExactly(gradient);
        for (int i = 0; i < logits.length; i++) {
            double[] up = logits.clone();
            double[] down = logits.clone();
            up[i] += H;
            down[i] -= H;
            double numeric = (loss.computeScore(y, array(up), new ActivationSigmoid(), null, false)
                            - loss.computeScore(y, array(down), new ActivationSigmoid(), null, false))
                    / (2 * H);
            assertThat(gradient[i])
                    .as("dScore/dz[%d] at z=%f", i, logits[i])
                    .isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void gradientHasTheOutputsShapeAndType(String name, Objective objective, ILossFunction loss) {
        INDArray y = Nd4j.create(DataType.FLOAT, ROWS, CLASSES).assign(array(labels(5)));
        INDArray z = Nd4j.create(DataType.FLOAT, ROWS, CLASSES).assign(array(logits(6)));

        INDArray gradient = loss.computeGradient(y, z, new ActivationSigmoid(), null);

        assertThat(gradient.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(gradient.shape()).containsExactly(ROWS, CLASSES);
    }

    /** With pos_weight 1, LossPrism's BCE is DL4J's LossBinaryXENT: same score, same gradient inside the clip. */
    @Test
    void posWeightOneIsDl4jsBinaryCrossEntropy() {
        INDArray y = array(labels(7));
        SplittableRandom random = new SplittableRandom(8);
        double[] moderate = new double[ROWS * CLASSES];
        for (int i = 0; i < moderate.length; i++) {
            moderate[i] = random.nextDouble(-8, 8);
        }
        ILossFunction ours = new LossPosWeightXent(WEIGHTS, ONES);
        ILossFunction dl4j = new LossBinaryXENT(Nd4j.create(WEIGHTS, 1, CLASSES));

        double expected = dl4j.computeScore(y, array(moderate), new ActivationSigmoid(), null, false);
        assertThat(ours.computeScore(y, array(moderate), new ActivationSigmoid(), null, false))
                .isCloseTo(expected, within(1e-12 * expected));
        assertThat(flat(ours.computeGradient(y, array(moderate), new ActivationSigmoid(), null)))
                .containsExactly(
                        flat(dl4j.computeGradient(y, array(moderate), new ActivationSigmoid(), null)), within(1e-9));
        assertThat(Objective.DL4J_CLIP_EPSILON).isEqualTo(LossBinaryXENT.DEFAULT_CLIPPING_EPSILON);
    }

    /** Plain BCE, with or without class weights, trains with DL4J's own loss function as before. */
    @Test
    void plainBinaryCrossEntropyIsDl4jsOwn() {
        assertThat(Losses.forDl4j(Objective.bce(WEIGHTS), POSITIONS)).isInstanceOf(LossBinaryXENT.class);
        assertThat(((LossBinaryXENT) Losses.forDl4j(Objective.bce(ONES), POSITIONS)).getWeights())
                .isNull();
    }

    /** DL4J saves a network's configuration as JSON: each loss must come back equal (checkpoints, resume). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void survivesDl4jsJson(String name, Objective objective, ILossFunction loss) throws Exception {
        ObjectMapper mapper = org.deeplearning4j.nn.conf.NeuralNetConfiguration.mapper();
        String json = mapper.writeValueAsString(loss);

        ILossFunction back = mapper.readValue(json, ILossFunction.class);

        assertThat(back).isEqualTo(loss).hasSameClassAs(loss);
        assertThat(json).contains("@class");
    }

    @Test
    void refusesAnotherActivationOrPartialImages() {
        ILossFunction dice = Losses.forDl4j(
                Objective.dl4j(LossFunction.DICE, ONES, ONES, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1), POSITIONS);
        assertThatThrownBy(() ->
                        dice.computeScore(array(labels(9)), array(logits(9)), new ActivationSoftmax(), null, false))
                .hasMessageContaining("activation must be sigmoid");
        INDArray odd = Nd4j.zeros(DataType.DOUBLE, ROWS - 1, CLASSES);
        assertThatThrownBy(() -> dice.computeScore(odd, odd, new ActivationSigmoid(), null, false))
                .hasMessageContaining("not whole images");
    }

    private static INDArray array(double[] values) {
        return Nd4j.create(values, new long[] {ROWS, CLASSES}, 'c');
    }

    private static double[] flat(INDArray a) {
        return Nd4j.toFlattened('c', a).castTo(DataType.DOUBLE).toDoubleVector();
    }

    private static double[] labels(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[ROWS * CLASSES];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble() < (i % CLASSES == CLASSES - 1 ? 0.1 : 0.35) ? 1 : 0;
        }
        return a;
    }

    /** Mostly moderate logits, some beyond DL4J's clip at +-11.51 (none within 0.5 of it). */
    private static double[] logits(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[ROWS * CLASSES];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 13 == 4 ? random.nextDouble(12, 16) * (random.nextBoolean() ? 1 : -1) : random.nextDouble(-6, 6);
        }
        return a;
    }
}
