package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;

class NonFiniteLossRuleTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final List<String> CLASSES = List.of("disc", "bar", "speck");

    /** A sample from the aggregate loss and the class terms; the aggregate is given, as a framework reports it. */
    private static BatchObservation losses(
            String split, long iteration, double aggregate, double disc, double bar, double speck) {
        return new BatchObservation(
                split,
                iteration,
                aggregate,
                1.0,
                List.of(
                        new ClassObservation("disc", disc, 1.0, 0.9, 5),
                        new ClassObservation("bar", bar, 1.0, 0.9, 5),
                        new ClassObservation("speck", speck, 1.0, 0.9, 5)));
    }

    private static BatchObservation losses(long iteration, double aggregate, double disc, double bar, double speck) {
        return losses("train", iteration, aggregate, disc, bar, speck);
    }

    private static AlertEngine engine() {
        return new AlertEngine(List.of(RuleSettings.defaults(RuleKind.NON_FINITE_LOSS)), Smoothings.EMA_TENTH, CLASSES);
    }

    @Test
    void firesAtOnceAndNamesTheClassWhoseTermWentNonFiniteFirst() {
        AlertEngine engine = engine();

        assertThat(engine.evaluate(losses(54, 0.6, 0.3, 0.2, 0.1))).isEmpty();
        assertThat(engine.evaluate(losses(55, 0.6, 0.3, 0.2, NAN))).isEmpty();
        assertThat(engine.evaluate(losses(56, 0.6, 0.3, 0.2, NAN))).isEmpty();
        List<Transition> transitions = engine.evaluate(losses(57, NAN, 0.3, NAN, NAN));

        assertThat(transitions)
                .extracting(Transition::from, Transition::to)
                .containsExactly(
                        tuple(AlertState.INACTIVE, AlertState.PENDING), tuple(AlertState.PENDING, AlertState.FIRING));
        Transition firing = transitions.get(1);
        assertThat(firing.alertName()).isEqualTo("LossPrismLossNotFinite");
        assertThat(firing.className()).isNull();
        assertThat(firing.severity()).isEqualTo("critical");
        assertThat(firing.split()).isEqualTo("train");
        assertThat(firing.iteration()).isEqualTo(57);
        assertThat(firing.value()).isNaN();
        assertThat(firing.evidence().keySet()).containsExactly("bar", "speck");
        assertThat(firing.evidence().values()).allMatch(v -> v.isNaN());
        assertThat(firing.summary())
                .isEqualTo("loss is NaN since iteration 57; first non-finite: class speck (iteration 55)");
    }

    @Test
    void staysFiringWhileTheLossIsNonFiniteThenResolves() {
        AlertEngine engine = engine();
        engine.evaluate(losses(10, NAN, NAN, 0.2, 0.1));

        assertThat(engine.evaluate(losses(11, NAN, NAN, NAN, NAN))).isEmpty();
        assertThat(engine.active()).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.sinceIteration()).isEqualTo(10);
            assertThat(alert.className()).isNull();
            assertThat(alert.evidence()).containsOnlyKeys("disc", "bar", "speck");
            assertThat(alert.summary())
                    .isEqualTo("loss is NaN since iteration 10; first non-finite: class disc (iteration 10)");
        });

        List<Transition> resolved = engine.evaluate(losses(12, 0.6, 0.3, 0.2, 0.1));
        assertThat(resolved)
                .extracting(Transition::from, Transition::to)
                .containsExactly(tuple(AlertState.FIRING, AlertState.RESOLVED));
        assertThat(resolved.get(0).evidence()).isEmpty();
        assertThat(resolved.get(0).summary()).isEqualTo("loss is finite (0.60) at iteration 12");
        assertThat(engine.evaluate(losses(13, 0.6, 0.3, 0.2, 0.1)))
                .extracting(Transition::to)
                .containsExactly(AlertState.INACTIVE);
    }

    @Test
    void namesEveryClassTiedForFirst() {
        AlertEngine engine = engine();
        engine.evaluate(losses(20, 0.6, 0.3, INF, INF));

        List<Transition> transitions = engine.evaluate(losses(21, INF, NAN, INF, INF));

        assertThat(transitions.get(1).summary())
                .isEqualTo("loss is infinite since iteration 21; first non-finite: classes bar, speck (iteration 20)");
        assertThat(transitions.get(1).evidence().keySet()).containsExactly("disc", "bar", "speck");
    }

    @Test
    void aClassWhoseTermRecoveredIsNotBlamed() {
        AlertEngine engine = engine();
        engine.evaluate(losses(3, 0.6, 0.3, 0.2, NAN));
        engine.evaluate(losses(4, 0.6, 0.3, 0.2, 0.1));
        engine.evaluate(losses(8, 0.6, 0.3, NAN, 0.1));

        List<Transition> transitions = engine.evaluate(losses(9, NAN, 0.3, NAN, NAN));

        assertThat(transitions.get(1).summary())
                .isEqualTo("loss is NaN since iteration 9; first non-finite: class bar (iteration 8)");
    }

    @Test
    void saysSoWhenNoClassTermIsNonFinite() {
        List<Transition> transitions = engine().evaluate(losses(5, NAN, 0.3, 0.2, 0.1));

        assertThat(transitions.get(1).summary())
                .isEqualTo("loss is NaN since iteration 5; no class term is non-finite");
        assertThat(transitions.get(1).evidence()).isEmpty();
    }

    @Test
    void watchesOnlyItsOwnSplit() {
        RuleSettings rule = RuleSettings.defaults(RuleKind.NON_FINITE_LOSS).withSplit("validation");
        AlertEngine engine = new AlertEngine(List.of(rule), Smoothings.EMA_TENTH, CLASSES);

        assertThat(engine.evaluate(losses("train", 1, NAN, NAN, NAN, NAN))).isEmpty();
        // the training batch's NaN terms are not remembered either
        List<Transition> transitions = engine.evaluate(losses("validation", 2, NAN, 0.3, 0.2, NAN));

        assertThat(transitions).extracting(Transition::split).containsOnly("validation");
        assertThat(transitions.get(1).summary())
                .isEqualTo("loss is NaN since iteration 2; first non-finite: class speck (iteration 2)");
    }

    @Test
    void aLongerHoldIsHonoured() {
        RuleSettings rule = RuleSettings.defaults(RuleKind.NON_FINITE_LOSS).withForEvaluations(2);
        AlertEngine engine = new AlertEngine(List.of(rule), Smoothings.EMA_TENTH, CLASSES);

        assertThat(engine.evaluate(losses(1, NAN, 0.3, 0.2, NAN)))
                .extracting(Transition::to)
                .containsExactly(AlertState.PENDING);
        assertThat(engine.evaluate(losses(2, 0.6, 0.3, 0.2, 0.1)))
                .extracting(Transition::to)
                .containsExactly(AlertState.INACTIVE);
    }
}
