package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IouLagRuleTest {

    private static final double NAN = Double.NaN;
    private static final List<String> CLASSES = List.of("disc", "bar", "speck");

    /** A training sample of the three classes with these IoUs; the other fields do not matter here. */
    private static BatchObservation ious(long iteration, double disc, double bar, double speck) {
        return new BatchObservation(
                "train",
                iteration,
                1.0,
                1.0,
                List.of(
                        new ClassObservation("disc", 0.4, 1.0, disc, 5),
                        new ClassObservation("bar", 0.4, 1.0, bar, 5),
                        new ClassObservation("speck", 0.2, 1.0, speck, 5)));
    }

    private static RuleSettings rule() {
        return RuleSettings.defaults(RuleKind.IOU_LAG).withForEvaluations(1);
    }

    /** Feeds rows of {disc, bar, speck} IoUs and returns the last evaluation's speck evidence. */
    private static Map<String, Double> speckEvidenceAfter(Smoothing smoothing, double[]... rows) {
        // a threshold of -1 keeps speck active whatever its lag, so its latest numbers are visible
        AlertEngine engine = new AlertEngine(List.of(rule().withThreshold(-1).withHysteresis(0)), smoothing, CLASSES);
        for (int i = 0; i < rows.length; i++) {
            engine.evaluate(ious(i + 1, rows[i][0], rows[i][1], rows[i][2]));
        }
        return engine.active().stream()
                .filter(a -> "speck".equals(a.className()))
                .findFirst()
                .orElseThrow()
                .evidence();
    }

    @Test
    void firingTransitionNamesTheLaggingClassWithItsNumbers() {
        AlertEngine engine = new AlertEngine(List.of(rule()), Smoothings.EMA_TENTH, CLASSES);

        List<Transition> transitions = engine.evaluate(ious(12, 0.91, 0.91, 0.02));

        assertThat(transitions).hasSize(2);
        Transition firing = transitions.get(1);
        assertThat(firing.alertName()).isEqualTo("LossPrismClassIouLagging");
        assertThat(firing.className()).isEqualTo("speck");
        assertThat(firing.from()).isEqualTo(AlertState.PENDING);
        assertThat(firing.to()).isEqualTo(AlertState.FIRING);
        assertThat(firing.iteration()).isEqualTo(12);
        assertThat(firing.value()).isCloseTo(0.89, within(1e-12));
        assertThat(firing.threshold()).isEqualTo(0.30);
        assertThat(firing.evidence()).containsOnlyKeys("classIou", "othersMeanIou", "lag");
        assertThat(firing.evidence().keySet()).containsExactly("classIou", "othersMeanIou", "lag");
        assertThat(firing.evidence().get("classIou")).isCloseTo(0.02, within(1e-12));
        assertThat(firing.evidence().get("othersMeanIou")).isCloseTo(0.91, within(1e-12));
        assertThat(firing.summary())
                .isEqualTo("class speck's IoU 0.02 lags the other classes' mean 0.91 by 0.89 (> 0.30)");
    }

    @Test
    void emaSmoothingByHand() {
        Smoothing smoothing = Smoothings.ema(0.5);

        // speck: 0.8, then 0.5 * 0.2 + 0.5 * 0.8 = 0.5; bar: 0.6 then 0.8; disc stays 1.0
        Map<String, Double> evidence =
                speckEvidenceAfter(smoothing, new double[] {1.0, 0.6, 0.8}, new double[] {1.0, 1.0, 0.2});

        assertThat(evidence.get("classIou")).isCloseTo(0.5, within(1e-12));
        assertThat(evidence.get("othersMeanIou")).isCloseTo(0.9, within(1e-12));
        assertThat(evidence.get("lag")).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void emaAlphaOfATenthWeighsTheNewestValueByOneTenth() {
        Map<String, Double> evidence =
                speckEvidenceAfter(Smoothings.EMA_TENTH, new double[] {1.0, 1.0, 0.8}, new double[] {1.0, 1.0, 0.2});

        // 0.1 * 0.2 + 0.9 * 0.8
        assertThat(evidence.get("classIou")).isCloseTo(0.74, within(1e-12));
    }

    @Test
    void windowSmoothingByHand() {
        Smoothing smoothing = Smoothings.window(2);

        // speck: mean(0.2, 0.5) = 0.35; bar: mean(1.0, 0.8) = 0.9; disc: 1.0
        Map<String, Double> evidence = speckEvidenceAfter(
                smoothing, new double[] {1.0, 0.6, 0.8}, new double[] {1.0, 1.0, 0.2}, new double[] {1.0, 0.8, 0.5});

        assertThat(evidence.get("classIou")).isCloseTo(0.35, within(1e-12));
        assertThat(evidence.get("othersMeanIou")).isCloseTo(0.95, within(1e-12));
        assertThat(evidence.get("lag")).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void undefinedIouIsSkippedByEmaNeitherUpdatingNorResetting() {
        Map<String, Double> evidence = speckEvidenceAfter(
                Smoothings.ema(0.5),
                new double[] {1.0, 1.0, 0.2},
                new double[] {1.0, 1.0, NAN},
                new double[] {1.0, 1.0, Double.POSITIVE_INFINITY},
                new double[] {1.0, 1.0, 0.6});

        // 0.5 * 0.6 + 0.5 * 0.2, as if the two undefined batches had not happened
        assertThat(evidence.get("classIou")).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void undefinedIouTakesNoSlotInTheWindow() {
        Map<String, Double> evidence = speckEvidenceAfter(
                Smoothings.window(2), new double[] {1.0, 1.0, 0.2}, new double[] {1.0, 1.0, NAN}, new double[] {
                    1.0, 1.0, 0.6
                });

        assertThat(evidence.get("classIou")).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void otherClassesWithoutAValueAreLeftOutOfTheirMean() {
        Map<String, Double> evidence = speckEvidenceAfter(Smoothings.EMA_TENTH, new double[] {0.9, NAN, 0.3});

        assertThat(evidence).contains(entry("othersMeanIou", 0.9));
    }

    @Test
    void aRareClassAbsentFromBatchesKeepsItsSmoothedLagAndStillFires() {
        AlertEngine engine =
                new AlertEngine(List.of(RuleSettings.defaults(RuleKind.IOU_LAG)), Smoothings.EMA_TENTH, CLASSES);

        engine.evaluate(ious(1, 0.95, 0.95, 0.1));
        for (int i = 2; i <= 5; i++) {
            engine.evaluate(ious(i, 0.95, 0.95, NAN));
        }

        assertThat(engine.active()).singleElement().satisfies(alert -> {
            assertThat(alert.className()).isEqualTo("speck");
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.evidence().get("classIou")).isCloseTo(0.1, within(1e-12));
        });
    }

    @Test
    void needsAnotherClassWithAValue() {
        AlertEngine lonely = new AlertEngine(List.of(rule()), Smoothings.EMA_TENTH, List.of("speck"));
        assertThat(lonely.evaluate(
                        new BatchObservation("train", 1, 1, 1, List.of(new ClassObservation("speck", 1, 1, 0.0, 9)))))
                .isEmpty();

        AlertEngine othersUndefined = new AlertEngine(List.of(rule()), Smoothings.EMA_TENTH, CLASSES);
        assertThat(othersUndefined.evaluate(ious(1, NAN, NAN, 0.0))).isEmpty();
        assertThat(othersUndefined.evaluate(ious(2, NAN, 0.9, NAN)))
                .extracting(Transition::className, Transition::to)
                .containsExactly(tuple("speck", AlertState.PENDING), tuple("speck", AlertState.FIRING));
    }

    @Test
    void aClassWithoutAnyIouYetIsNotEvaluated() {
        AlertEngine engine = new AlertEngine(List.of(rule().withThreshold(-1)), Smoothings.EMA_TENTH, CLASSES);

        List<Transition> transitions = engine.evaluate(ious(1, 0.9, 0.9, NAN));

        assertThat(transitions).extracting(Transition::className).containsOnly("disc", "bar");
    }
}
