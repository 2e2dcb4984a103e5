package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HiddenClassRuleTest {

    private static final double NAN = Double.NaN;
    private static final List<String> CLASSES = List.of("disc", "bar", "speck");

    /** A training sample from class loss terms and error pixels (disc, bar, speck); the aggregate is their sum. */
    private static BatchObservation shares(long iteration, double[] losses, long[] errors) {
        return new BatchObservation(
                "train",
                iteration,
                losses[0] + losses[1] + losses[2],
                1.0,
                List.of(
                        new ClassObservation("disc", losses[0], 1.0, 0.9, errors[0]),
                        new ClassObservation("bar", losses[1], 1.0, 0.9, errors[1]),
                        new ClassObservation("speck", losses[2], 1.0, 0.9, errors[2])));
    }

    private static double[] losses(double disc, double bar, double speck) {
        return new double[] {disc, bar, speck};
    }

    private static long[] errors(long disc, long bar, long speck) {
        return new long[] {disc, bar, speck};
    }

    private static RuleSettings rule() {
        return RuleSettings.defaults(RuleKind.HIDDEN_CLASS).withForEvaluations(1);
    }

    private static Map<String, Double> speckEvidence(AlertEngine engine) {
        return engine.active().stream()
                .filter(a -> "speck".equals(a.className()))
                .findFirst()
                .orElseThrow()
                .evidence();
    }

    private static AlertEngine alwaysActive(Smoothing smoothing) {
        return new AlertEngine(List.of(rule().withThreshold(-2).withHysteresis(0)), smoothing, CLASSES);
    }

    @Test
    void firesForTheClassThatMakesTheMistakesButNotTheLoss() {
        AlertEngine engine = new AlertEngine(List.of(rule()), Smoothings.EMA_TENTH, CLASSES);

        List<Transition> transitions = engine.evaluate(shares(4, losses(0.5, 0.49, 0.01), errors(190, 190, 620)));

        assertThat(transitions).extracting(Transition::className).containsExactly("speck", "speck");
        Transition firing = transitions.get(1);
        assertThat(firing.alertName()).isEqualTo("LossPrismClassHiddenByAveraging");
        assertThat(firing.value()).isCloseTo(0.61, within(1e-12));
        assertThat(firing.evidence().keySet()).containsExactly("errorShare", "lossShare");
        assertThat(firing.evidence().get("errorShare")).isCloseTo(0.62, within(1e-12));
        assertThat(firing.evidence().get("lossShare")).isCloseTo(0.01, within(1e-12));
        assertThat(firing.summary())
                .isEqualTo("class speck causes 62.0% of the pixel errors and 1.0% of the loss (gap 0.61 > 0.25)");
    }

    @Test
    void emaSmoothingByHand() {
        AlertEngine engine = alwaysActive(Smoothings.ema(0.5));

        engine.evaluate(shares(1, losses(0.45, 0.45, 0.1), errors(25, 25, 50)));
        engine.evaluate(shares(2, losses(0.35, 0.35, 0.3), errors(10, 10, 80)));

        // errorShare 0.5 then 0.8 -> 0.65; lossShare 0.1 then 0.3 -> 0.2
        Map<String, Double> evidence = speckEvidence(engine);
        assertThat(evidence.get("errorShare")).isCloseTo(0.65, within(1e-12));
        assertThat(evidence.get("lossShare")).isCloseTo(0.2, within(1e-12));
        assertThat(engine.active().get(2).value()).isCloseTo(0.45, within(1e-12));
    }

    @Test
    void windowSmoothingByHand() {
        AlertEngine engine = alwaysActive(Smoothings.window(2));

        engine.evaluate(shares(1, losses(0.45, 0.45, 0.1), errors(25, 25, 50)));
        engine.evaluate(shares(2, losses(0.35, 0.35, 0.3), errors(10, 10, 80)));
        engine.evaluate(shares(3, losses(0.25, 0.25, 0.5), errors(30, 30, 40)));

        // errorShare mean(0.8, 0.4) = 0.6; lossShare mean(0.3, 0.5) = 0.4
        Map<String, Double> evidence = speckEvidence(engine);
        assertThat(evidence.get("errorShare")).isCloseTo(0.6, within(1e-12));
        assertThat(evidence.get("lossShare")).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void aNonFiniteLossTermIsSkippedWhileItsErrorShareStillCounts() {
        AlertEngine engine = alwaysActive(Smoothings.ema(0.5));

        engine.evaluate(shares(1, losses(0.45, 0.45, 0.1), errors(25, 25, 50)));
        engine.evaluate(shares(2, losses(0.45, 0.45, NAN), errors(10, 10, 80)));

        Map<String, Double> evidence = speckEvidence(engine);
        assertThat(evidence.get("errorShare")).isCloseTo(0.65, within(1e-12));
        assertThat(evidence.get("lossShare")).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void batchesWithoutErrorsAreSkippedNeitherCountingNorResettingTheHold() {
        AlertEngine engine = new AlertEngine(List.of(rule().withForEvaluations(2)), Smoothings.NONE, CLASSES);
        double[] hidden = losses(0.5, 0.49, 0.01);

        assertThat(engine.evaluate(shares(1, hidden, errors(10, 10, 80))))
                .extracting(Transition::to)
                .containsExactly(AlertState.PENDING);
        assertThat(engine.evaluate(shares(2, hidden, errors(0, 0, 0)))).isEmpty();
        assertThat(engine.active()).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.PENDING);
            assertThat(alert.evidence().get("errorShare")).isCloseTo(0.8, within(1e-12));
        });
        assertThat(engine.evaluate(shares(3, hidden, errors(10, 10, 80))))
                .extracting(Transition::to)
                .containsExactly(AlertState.FIRING);
    }

    @Test
    void noTransitionsBeforeTheFirstBatchWithErrors() {
        AlertEngine engine = alwaysActive(Smoothings.EMA_TENTH);

        assertThat(engine.evaluate(shares(1, losses(0.3, 0.3, 0.3), errors(0, 0, 0))))
                .isEmpty();
        assertThat(engine.active()).isEmpty();
    }
}
