package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendDivergenceRuleTest {

    private static final double NAN = Double.NaN;
    private static final List<String> CLASSES = List.of("disc", "speck");

    /** A training sample from the aggregate loss and the two class terms. */
    private static BatchObservation trend(long iteration, double aggregate, double disc, double speck) {
        return new BatchObservation(
                "train",
                iteration,
                aggregate,
                1.0,
                List.of(
                        new ClassObservation("disc", disc, 1.0, 0.9, 5),
                        new ClassObservation("speck", speck, 1.0, 0.9, 5)));
    }

    /** Feeds rows of {aggregate, disc, speck} from iteration 1 on; returns "class FROM->TO @iteration" steps. */
    private static List<String> run(AlertEngine engine, double[]... rows) {
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            engine.evaluate(trend(i + 1, rows[i][0], rows[i][1], rows[i][2]))
                    .forEach(t -> steps.add(ThresholdRuleLifecycleTest.step(t)));
        }
        return steps;
    }

    /** An engine whose trend rule fits {@code window} evaluations. */
    private static AlertEngine engine(int window, RuleSettings settings) {
        return new AlertEngine(List.of(settings), new Smoothing(Smoothing.Method.EMA, 0.1, window), CLASSES);
    }

    private static RuleSettings rule(int forEvaluations) {
        return RuleSettings.defaults(RuleKind.TREND_DIVERGENCE).withForEvaluations(forEvaluations);
    }

    @Test
    void firesOnceTheWindowIsFullAndNamesOnlyTheRisingClass() {
        AlertEngine engine = engine(4, rule(1));

        // disc 9, 7, 5, 3 falls, speck 1, 2, 3, 4 rises, the aggregate (their sum) 10, 9, 8, 7 falls
        assertThat(engine.evaluate(trend(1, 10, 9, 1))).isEmpty();
        assertThat(engine.evaluate(trend(2, 9, 7, 2))).isEmpty();
        assertThat(engine.evaluate(trend(3, 8, 5, 3))).isEmpty();
        List<Transition> transitions = engine.evaluate(trend(4, 7, 3, 4));

        assertThat(transitions)
                .extracting(ThresholdRuleLifecycleTest::step)
                .containsExactly("speck INACTIVE->PENDING @4", "speck PENDING->FIRING @4");
        Transition firing = transitions.get(1);
        assertThat(firing.alertName()).isEqualTo("LossPrismClassDiverging");
        // least-squares slopes 1 and -1 per evaluation, over means 2.5 and 8.5
        assertThat(firing.value()).isCloseTo(0.4, within(1e-12));
        assertThat(firing.evidence().keySet()).containsExactly("classSlope", "aggregateSlope");
        assertThat(firing.evidence().get("classSlope")).isCloseTo(0.4, within(1e-12));
        assertThat(firing.evidence().get("aggregateSlope")).isCloseTo(-1 / 8.5, within(1e-12));
        assertThat(firing.summary())
                .isEqualTo("class speck's loss term trends +40.00% per evaluation while the"
                        + " aggregate loss trends -11.76% over the last 4 evaluations (threshold +1.00%)");
    }

    @Test
    void staysQuietWhileEveryTermFallsAlikeWithDefaultSettingsOverFiftyEvaluations() {
        AlertEngine engine = engine(50, RuleSettings.defaults(RuleKind.TREND_DIVERGENCE));

        double disc = 2.0;
        double speck = 0.01;
        for (int i = 1; i <= 60; i++) {
            assertThat(engine.evaluate(trend(i, disc + speck, disc, speck))).isEmpty();
            disc *= 0.98;
            speck *= 0.98;
        }
    }

    @Test
    void aClassRisingWithTheAggregateIsNotDivergence() {
        AlertEngine engine = engine(2, rule(1));

        assertThat(run(engine, new double[] {10, 9, 1}, new double[] {12, 10, 2}, new double[] {14, 11, 3}))
                .isEmpty();
    }

    @Test
    void nonFinitePairsTakeNoSlotInTheWindow() {
        AlertEngine engine = engine(4, rule(1));

        List<String> steps = run(
                engine,
                new double[] {10, 9, 1},
                new double[] {9, 7, 2},
                new double[] {NAN, 7, NAN},
                new double[] {8, 5, Double.POSITIVE_INFINITY},
                new double[] {8, 5, 3},
                new double[] {7, 3, 4});

        // the same four finite pairs as firesOnceTheWindowIsFull..., so the same slopes
        assertThat(steps).containsExactly("speck INACTIVE->PENDING @6", "speck PENDING->FIRING @6");
        assertThat(engine.active().get(0).value()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void everyTransitionWithAWindowOfTwo() {
        AlertEngine engine = engine(2, rule(2));
        double[] start = {100, 99, 1.0};
        double[] diverging = {90, 88.9, 1.1};
        double[] divergingMore = {81, 79.79, 1.21};

        List<String> steps = run(
                engine,
                start,
                diverging, // speck +9.5%, aggregate -10.5%: pending
                start, // speck falls: back to inactive
                diverging,
                divergingMore, // pending, firing
                divergingMore, // both flat: condition false, resolved
                divergingMore, // inactive
                new double[] {72.9, 71.569, 1.331}, // diverging again: pending
                divergingMore, // aggregate rises: inactive
                new double[] {72.9, 71.569, 1.331},
                new double[] {65.61, 64.1459, 1.4641}, // pending, firing
                new double[] {65.61, 64.1459, 1.4641}, // resolved
                new double[] {59.05, 57.4395, 1.6105}); // diverging again right away: pending

        assertThat(steps)
                .containsExactly(
                        "speck INACTIVE->PENDING @2", "speck PENDING->INACTIVE @3",
                        "speck INACTIVE->PENDING @4", "speck PENDING->FIRING @5",
                        "speck FIRING->RESOLVED @6", "speck RESOLVED->INACTIVE @7",
                        "speck INACTIVE->PENDING @8", "speck PENDING->INACTIVE @9",
                        "speck INACTIVE->PENDING @10", "speck PENDING->FIRING @11",
                        "speck FIRING->RESOLVED @12", "speck RESOLVED->PENDING @13");
    }

    @Test
    void firingLastsUntilTheConditionIsFalseByDefault() {
        AlertEngine engine = engine(2, rule(1));

        List<String> steps = run(
                engine,
                new double[] {100, 99, 1.0},
                new double[] {90, 88.9, 1.1}, // +9.5%: fires
                new double[] {81, 79.9, 1.101}, // +0.09%, under +0.5%: resolved
                new double[] {72, 70.9, 1.2}); // fires again

        assertThat(steps)
                .containsExactly(
                        "speck INACTIVE->PENDING @2",
                        "speck PENDING->FIRING @2",
                        "speck FIRING->RESOLVED @3",
                        "speck RESOLVED->PENDING @4",
                        "speck PENDING->FIRING @4");
    }

    @Test
    void hysteresisLowersTheClassSlopeAFiringAlertMustKeep() {
        AlertEngine engine = engine(2, rule(1).withThreshold(0.05).withHysteresis(0.04));

        List<String> steps = run(
                engine,
                new double[] {100, 99, 1.0},
                new double[] {90, 88.9, 1.1}, // +9.5%: fires
                new double[] {81, 79.88, 1.12}, // +1.8%: below the threshold, inside the band, still firing
                new double[] {72, 70.88, 1.12}); // flat: resolved

        assertThat(steps)
                .containsExactly("speck INACTIVE->PENDING @2", "speck PENDING->FIRING @2", "speck FIRING->RESOLVED @4");
    }

    @Test
    void notEvaluatedWhileASeriesAveragesZero() {
        AlertEngine engine = engine(2, rule(1).withThreshold(-1));

        // speck's term is 0 throughout: no relative slope; disc, falling less than -100%, passes the threshold
        assertThat(run(engine, new double[] {1, 1, 0}, new double[] {0.9, 0.9, 0}))
                .isNotEmpty()
                .allMatch(step -> step.startsWith("disc"));
    }
}
