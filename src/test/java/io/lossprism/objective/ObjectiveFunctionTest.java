package io.lossprism.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.loss.BatchShape;
import io.lossprism.loss.ClassBreakdown;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.lossprism.loss.LossSpec.DiceMode;
import io.lossprism.npy.NpyArray;
import io.lossprism.npy.NpyReader;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every trainable loss, in double precision: its value equals the decomposition's aggregate for the same
 * specification (one source of truth), the rows' parts add up to it, and its analytic gradient matches
 * central finite differences of the value, with and without masks.
 */
class ObjectiveFunctionTest {

    private static final int ITEMS = 3;
    private static final int POSITIONS = 7;
    private static final int CLASSES = 4;
    private static final int ROWS = ITEMS * POSITIONS;
    private static final double[] WEIGHTS = {1, 2.5, 0.5, 4};
    private static final double[] POS_WEIGHTS = {1, 3, 0.7, 12};
    private static final double[] ONES = LossSpec.ones(CLASSES);
    /** Finite-difference step: truncation error ~h^2, rounding ~1e-16 |L| / h. */
    private static final double H = 1e-6;

    static Stream<Arguments> objectives() {
        return Stream.of(
                Arguments.of("bce", Objective.bce(ONES)),
                Arguments.of("bce class weights", Objective.bce(WEIGHTS)),
                Arguments.of(
                        "bce pos_weight",
                        objective(LossFunction.BCE, WEIGHTS, POS_WEIGHTS, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1)),
                Arguments.of(
                        "focal 2 0.25", objective(LossFunction.FOCAL, ONES, ONES, 2, 0.25, DiceMode.MICRO, 1, 1, 1)),
                Arguments.of(
                        "focal 0.5 weighted",
                        objective(LossFunction.FOCAL, WEIGHTS, POS_WEIGHTS, 0.5, Double.NaN, DiceMode.MICRO, 1, 1, 1)),
                Arguments.of("focal 0", objective(LossFunction.FOCAL, WEIGHTS, ONES, 0, 0.8, DiceMode.MICRO, 1, 1, 1)),
                Arguments.of(
                        "dice micro", objective(LossFunction.DICE, ONES, ONES, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1)),
                Arguments.of(
                        "dice micro s=0",
                        objective(LossFunction.DICE, ONES, ONES, 2, Double.NaN, DiceMode.MICRO, 0, 1, 1)),
                Arguments.of(
                        "dice macro s=0.5",
                        objective(LossFunction.DICE, ONES, ONES, 2, Double.NaN, DiceMode.MACRO, 0.5, 1, 1)),
                Arguments.of(
                        "bce_dice",
                        objective(LossFunction.BCE_DICE, ONES, ONES, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1)),
                Arguments.of(
                        "bce_dice weighted macro",
                        objective(
                                LossFunction.BCE_DICE,
                                WEIGHTS,
                                POS_WEIGHTS,
                                2,
                                Double.NaN,
                                DiceMode.MACRO,
                                1,
                                0.3,
                                2.5)));
    }

    private static Objective objective(
            LossFunction f,
            double[] weights,
            double[] posWeights,
            double gamma,
            double alpha,
            DiceMode dice,
            double smooth,
            double a,
            double b) {
        return Objective.dl4j(f, weights, posWeights, gamma, alpha, dice, smooth, a, b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void valueIsTheDecompositionsAggregate(String name, Objective objective) {
        double[] labels = labels(1);
        double[] logits = logits(2);
        double value = new ObjectiveFunction(objective).evaluate(labels, logits, null, ITEMS, null, null);

        Decomposition d = new ObjectiveDecomposer(new BatchShape(ITEMS, CLASSES, POSITIONS), Layout.NHWC, objective)
                .decompose(labels, logits);

        assertThat(value).isCloseTo(d.loss(), within(1e-12 * Math.abs(d.loss())));
        assertThat(d.classes().stream().mapToDouble(ClassBreakdown::loss).sum())
                .isCloseTo(d.loss(), within(1e-12 * Math.abs(d.loss())));
        for (ClassBreakdown c : d.classes()) {
            assertThat(c.positiveLoss() + c.negativeLoss()).isCloseTo(c.loss(), within(1e-12 * Math.abs(d.loss())));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void rowPartsAddUpToTheValue(String name, Objective objective) {
        double[] rows = new double[ROWS];
        double value = new ObjectiveFunction(objective).evaluate(labels(3), logits(4), null, ITEMS, null, rows);

        assertThat(Arrays.stream(rows).sum()).isCloseTo(value, within(1e-12 * Math.abs(value)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void gradientMatchesCentralDifferences(String name, Objective objective) {
        checkGradient(objective, labels(5), logits(6), null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void gradientMatchesCentralDifferencesWithMasks(String name, Objective objective) {
        SplittableRandom random = new SplittableRandom(7);
        double[] perRow = new double[ROWS];
        double[] perElement = new double[ROWS * CLASSES];
        for (int i = 0; i < perRow.length; i++) {
            perRow[i] = random.nextDouble() < 0.2 ? 0 : 1;
        }
        for (int i = 0; i < perElement.length; i++) {
            perElement[i] = random.nextDouble() < 0.2 ? 0 : random.nextDouble(0.5, 1.5);
        }
        checkGradient(objective, labels(8), logits(9), perRow);
        checkGradient(objective, labels(10), logits(11), perElement);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void softTargetsToo(String name, Objective objective) {
        double[] labels = labels(12);
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < labels.length; i += 3) {
            labels[i] = random.nextDouble();
        }
        checkGradient(objective, labels, logits(14), null);
    }

    @Test
    void aMaskOfOnesChangesNothing() {
        Objective objective =
                objective(LossFunction.BCE_DICE, WEIGHTS, POS_WEIGHTS, 2, Double.NaN, DiceMode.MACRO, 1, 0.3, 2.5);
        ObjectiveFunction f = new ObjectiveFunction(objective);
        double[] ones = new double[ROWS];
        Arrays.fill(ones, 1);
        double[] g1 = new double[ROWS * CLASSES];
        double[] g2 = new double[ROWS * CLASSES];
        double plain = f.evaluate(labels(15), logits(16), null, ITEMS, g1, null);
        double masked = f.evaluate(labels(15), logits(16), ones, ITEMS, g2, null);

        assertThat(masked).isEqualTo(plain);
        assertThat(g2).containsExactly(g1);
    }

    /** Beyond DL4J's clip the cross-entropy is constant: no gradient from it, only the focal factor's. */
    @Test
    void saturatedLogitsGetNoCrossEntropyGradient() {
        double[] labels = {0, 1, 1, 0};
        double[] logits = {20, -20, 20, -20};
        double[] gradient = new double[4];
        double value = new ObjectiveFunction(Objective.bce(ONES)).evaluate(labels, logits, null, 1, gradient, null);

        double eps = Objective.DL4J_CLIP_EPSILON;
        // two wrong ones and two right ones, all held at the clip
        assertThat(value).isCloseTo(-2 * Math.log(eps) - 2 * Math.log(1 - eps), within(1e-12));
        assertThat(gradient).containsOnly(0.0);
    }

    @Test
    void diceGradientPushesPositivesUpAndNegativesDown() {
        double[] labels = {1, 0, 0, 0, 1, 0, 0, 0};
        double[] logits = new double[8];
        double[] gradient = new double[8];
        new ObjectiveFunction(objective(LossFunction.DICE, ONES, ONES, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1))
                .evaluate(labels, logits, null, 1, gradient, null);

        assertThat(gradient[0]).isNegative();
        assertThat(gradient[1]).isPositive();
    }

    /**
     * Anchored to PyTorch: its BCEWithLogitsLoss (a mean) + (1 - micro Dice, smooth 1) on the golden
     * arrays (logits within DL4J's clip), equal to the dl4j bce_dice with weights [1/(C*H*W), 1].
     */
    @Test
    void bceDiceAsTorchComputesIt() throws IOException {
        Path dir = Path.of("src", "test", "resources", "golden", "torch-bce-dice-unsaturated");
        NpyArray y = NpyReader.read(dir.resolve("y_true.npy"));
        NpyArray z = NpyReader.read(dir.resolve("y_pred.npy"));
        double expected = new JsonObject(Files.readString(dir.resolve("case.json")))
                .getJsonObject("expected")
                .getDouble("loss");
        int n = (int) y.shape()[0];
        int c = (int) y.shape()[1];
        int positions = (int) (y.shape()[2] * y.shape()[3]);
        Objective objective = objective(
                LossFunction.BCE_DICE,
                LossSpec.ones(c),
                LossSpec.ones(c),
                2,
                Double.NaN,
                DiceMode.MICRO,
                1,
                1.0 / (c * positions),
                1);

        double value = new ObjectiveFunction(objective)
                .evaluate(
                        channelsLast(y.values(), n, c, positions),
                        channelsLast(z.values(), n, c, positions),
                        null,
                        n,
                        null,
                        null);

        // PyTorch computes in float32: its own rounding, within the fixture's 1e-6 relative
        assertThat(value).isCloseTo(expected, within(1e-6 * expected));
    }

    @Test
    void refusesWhatCannotBeTrained() {
        assertThatThrownBy(() -> new Objective(LossSpec.bce(io.lossprism.loss.Convention.KERAS, true, 2), 1, 1))
                .hasMessageContaining("dl4j convention");
        assertThatThrownBy(() -> objective(LossFunction.BCE, ONES, ONES, 2, Double.NaN, DiceMode.MICRO, 1, 2, 1))
                .hasMessageContaining("bce_dice only");
        assertThatThrownBy(() -> objective(LossFunction.BCE_DICE, ONES, ONES, 2, Double.NaN, DiceMode.MICRO, 1, 0, 1))
                .hasMessageContaining("> 0");
        assertThatThrownBy(() -> new ObjectiveFunction(Objective.bce(ONES))
                        .evaluate(new double[8], new double[8], new double[3], 1, null, null))
                .hasMessageContaining("mask");
    }

    private static void checkGradient(Objective objective, double[] labels, double[] logits, double[] mask) {
        ObjectiveFunction f = new ObjectiveFunction(objective);
        double[] gradient = new double[logits.length];
        f.evaluate(labels, logits, mask, ITEMS, gradient, null);
        double largest = 0;
        for (double g : gradient) {
            largest = Math.max(largest, Math.abs(g));
        }
        assertThat(largest).as("some gradient").isGreaterThan(1e-4);
        for (int i = 0; i < logits.length; i++) {
            double[] up = logits.clone();
            double[] down = logits.clone();
            up[i] += H;
            down[i] -= H;
            double numeric = (f.evaluate(labels, up, mask, ITEMS, null, null)
                            - f.evaluate(labels, down, mask, ITEMS, null, null))
                    / (2 * H);
            assertThat(gradient[i])
                    .as("dL/dz[%d] at z=%f, y=%f", i, logits[i], labels[i])
                    .isCloseTo(numeric, within(1e-7 + 1e-6 * Math.abs(numeric)));
        }
    }

    private static double[] labels(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[ROWS * CLASSES];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble() < (i % CLASSES == CLASSES - 1 ? 0.08 : 0.35) ? 1 : 0;
        }
        return a;
    }

    /** Logits mostly moderate, some beyond DL4J's clip at +-11.51, none within 0.01 of it. */
    private static double[] logits(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] a = new double[ROWS * CLASSES];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 17 == 5 ? random.nextDouble(12, 16) * (random.nextBoolean() ? 1 : -1) : random.nextDouble(-6, 6);
        }
        return a;
    }

    private static double[] channelsLast(double[] nchw, int n, int c, int positions) {
        double[] out = new double[nchw.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < positions; p++) {
                    out[(i * positions + p) * c + k] = nchw[(i * c + k) * positions + p];
                }
            }
        }
        return out;
    }
}
