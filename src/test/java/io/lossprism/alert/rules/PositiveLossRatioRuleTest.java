package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PositiveLossRatioRuleTest {

    private static final double NAN = Double.NaN;
    private static final List<String> CLASSES = List.of("disc", "bar", "speck");

    /** A training sample with these mean positive-pixel losses: aggregate, disc, bar, speck. */
    private static BatchObservation positives(long iteration, double aggregate, double disc, double bar, double speck) {
        return new BatchObservation(
                "train",
                iteration,
                1.0,
                aggregate,
                List.of(
                        new ClassObservation("disc", 0.4, disc, 0.9, 5),
                        new ClassObservation("bar", 0.4, bar, 0.9, 5),
                        new ClassObservation("speck", 0.2, speck, 0.9, 5)));
    }

    private static RuleSettings rule() {
        return RuleSettings.defaults(RuleKind.POSITIVE_LOSS_RATIO).withForEvaluations(1);
    }

    /** Feeds rows of {aggregate, disc, bar, speck} and returns speck's latest evidence. */
    private static Map<String, Double> speckEvidenceAfter(Smoothing smoothing, double[]... rows) {
        AlertEngine engine = new AlertEngine(List.of(rule().withThreshold(-1).withHysteresis(0)), smoothing, CLASSES);
        for (int i = 0; i < rows.length; i++) {
            engine.evaluate(positives(i + 1, rows[i][0], rows[i][1], rows[i][2], rows[i][3]));
        }
        return engine.active().stream()
                .filter(a -> "speck".equals(a.className()))
                .findFirst()
                .orElseThrow()
                .evidence();
    }

    @Test
    void firesForTheClassWhosePositivePixelsCostTheMost() {
        AlertEngine engine = new AlertEngine(List.of(rule()), Smoothings.EMA_TENTH, CLASSES);

        List<Transition> transitions = engine.evaluate(positives(3, 0.74, 0.5, 0.6, 3.1));

        assertThat(transitions).extracting(Transition::className).containsExactly("speck", "speck");
        Transition firing = transitions.get(1);
        assertThat(firing.alertName()).isEqualTo("LossPrismClassPositiveLossHigh");
        assertThat(firing.value()).isCloseTo(3.1 / 0.74, within(1e-12));
        assertThat(firing.evidence().keySet())
                .containsExactly("classMeanPositiveLoss", "aggregateMeanPositiveLoss", "ratio");
        assertThat(firing.summary())
                .isEqualTo("class speck's mean positive-pixel loss 3.10 is 4.19x"
                        + " the mean over all positive pixels 0.74 (> 3.00)");
    }

    @Test
    void emaSmoothingByHand() {
        // aggregate: 1.0 then 0.5 * 2.0 + 0.5 * 1.0 = 1.5; speck: 4.0 then 3.0; ratio 2.0
        Map<String, Double> evidence = speckEvidenceAfter(
                Smoothings.ema(0.5), new double[] {1.0, 1.0, 1.0, 4.0}, new double[] {2.0, 1.0, 1.0, 2.0});

        assertThat(evidence.get("aggregateMeanPositiveLoss")).isCloseTo(1.5, within(1e-12));
        assertThat(evidence.get("classMeanPositiveLoss")).isCloseTo(3.0, within(1e-12));
        assertThat(evidence.get("ratio")).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void windowSmoothingByHandSkippingABatchWithoutPositivePixels() {
        // speck: mean(10, 13) = 11.5 (the NaN takes no slot); aggregate: mean(2, 3) = 2.5
        Map<String, Double> evidence = speckEvidenceAfter(
                Smoothings.window(2),
                new double[] {1.0, 1.0, 1.0, 4.0},
                new double[] {1.0, 1.0, 1.0, NAN},
                new double[] {2.0, 1.0, 1.0, 10.0},
                new double[] {3.0, 1.0, 1.0, 13.0});

        assertThat(evidence.get("classMeanPositiveLoss")).isCloseTo(11.5, within(1e-12));
        assertThat(evidence.get("aggregateMeanPositiveLoss")).isCloseTo(2.5, within(1e-12));
        assertThat(evidence.get("ratio")).isCloseTo(4.6, within(1e-12));
    }

    @Test
    void batchesWithoutPositivePixelsAreSkippedByEma() {
        Map<String, Double> evidence = speckEvidenceAfter(
                Smoothings.ema(0.5),
                new double[] {1.0, 1.0, 1.0, 4.0},
                new double[] {NAN, 1.0, 1.0, NAN},
                new double[] {1.0, 1.0, 1.0, 2.0});

        assertThat(evidence.get("classMeanPositiveLoss")).isCloseTo(3.0, within(1e-12));
        assertThat(evidence.get("aggregateMeanPositiveLoss")).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void noRatioWhileTheAggregateIsZeroOrMissing() {
        AlertEngine engine = new AlertEngine(List.of(rule()), Smoothings.EMA_TENTH, CLASSES);

        assertThat(engine.evaluate(positives(1, 0.0, 1.0, 1.0, 5.0))).isEmpty();
        assertThat(engine.evaluate(positives(2, NAN, 1.0, 1.0, 5.0))).isEmpty();
        assertThat(engine.active()).isEmpty();
    }

    @Test
    void aClassThatNeverHadPositivePixelsIsNotEvaluated() {
        AlertEngine engine = new AlertEngine(List.of(rule().withThreshold(-1)), Smoothings.EMA_TENTH, CLASSES);

        assertThat(engine.evaluate(positives(1, 1.0, 1.0, 1.0, NAN)))
                .extracting(Transition::className)
                .containsOnly("disc", "bar");
    }
}
