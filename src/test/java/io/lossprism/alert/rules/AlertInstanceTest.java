package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lifecycle alone, driven by hand-made readings. */
class AlertInstanceTest {

    private static final RuleSettings FIVE = RuleSettings.defaults(RuleKind.IOU_LAG);

    private static Reading holds(double value) {
        return new Reading("speck", value, true, false, Map.of("lag", value), "holds " + value);
    }

    private static Reading band(double value) {
        return new Reading("speck", value, false, false, Map.of("lag", value), "band " + value);
    }

    private static Reading cleared(double value) {
        return new Reading("speck", value, false, true, Map.of("lag", value), "cleared " + value);
    }

    /** Applies readings at iterations 1, 2, ... and returns "FROM->TO @iteration" for each change. */
    private static List<String> apply(AlertInstance instance, Reading... readings) {
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < readings.length; i++) {
            for (Transition t : instance.advance(readings[i], i + 1)) {
                steps.add(t.from() + "->" + t.to() + " @" + t.iteration());
            }
        }
        return steps;
    }

    @Test
    void startsInactiveAndInvisible() {
        AlertInstance instance = new AlertInstance(FIVE, "speck");

        assertThat(instance.state()).isEqualTo(AlertState.INACTIVE);
        assertThat(instance.active()).isEmpty();
    }

    @Test
    void theEvaluationThatEntersPendingCountsAsTheFirstOfTheHold() {
        AlertInstance instance = new AlertInstance(FIVE, "speck");

        List<String> steps = apply(instance, holds(1), holds(1), holds(1), holds(1));
        assertThat(steps).containsExactly("INACTIVE->PENDING @1");
        assertThat(instance.state()).isEqualTo(AlertState.PENDING);

        assertThat(instance.advance(holds(1), 5)).extracting(Transition::to).containsExactly(AlertState.FIRING);
    }

    @Test
    void aClearedReadingAlsoEndsPending() {
        AlertInstance instance = new AlertInstance(FIVE, "speck");

        assertThat(apply(instance, holds(1), cleared(0)))
                .containsExactly("INACTIVE->PENDING @1", "PENDING->INACTIVE @2");
    }

    @Test
    void resolvedLastsOneEvaluationAndIsNotActive() {
        AlertInstance instance = new AlertInstance(FIVE.withForEvaluations(1), "speck");

        apply(instance, holds(1), cleared(0));
        assertThat(instance.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(instance.active()).isEmpty();

        assertThat(instance.advance(band(0.28), 3))
                .extracting(Transition::from, Transition::to)
                .containsExactly(tuple(AlertState.RESOLVED, AlertState.INACTIVE));
    }

    @Test
    void activeAlertCarriesTheLatestReadingAndTheIterationItsStateBegan() {
        RuleSettings paging =
                new RuleSettings(FIVE.kind(), true, FIVE.split(), "page", FIVE.threshold(), FIVE.hysteresis(), 2);
        AlertInstance instance = new AlertInstance(paging, "speck");

        apply(instance, holds(0.4), holds(0.5), band(0.27));

        assertThat(instance.active()).hasValueSatisfying(alert -> {
            assertThat(alert.alertName()).isEqualTo("LossPrismClassIouLagging");
            assertThat(alert.className()).isEqualTo("speck");
            assertThat(alert.severity()).isEqualTo("page");
            assertThat(alert.split()).isEqualTo("train");
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.sinceIteration()).isEqualTo(2);
            assertThat(alert.value()).isEqualTo(0.27);
            assertThat(alert.evidence()).containsEntry("lag", 0.27);
            assertThat(alert.summary()).isEqualTo("band 0.27");
        });
    }

    @Test
    void eachTransitionCarriesTheReadingThatCausedIt() {
        AlertInstance instance = new AlertInstance(FIVE.withForEvaluations(1), "speck");

        List<Transition> transitions = instance.advance(holds(0.6), 9);

        assertThat(transitions).hasSize(2).allSatisfy(t -> {
            assertThat(t.iteration()).isEqualTo(9);
            assertThat(t.value()).isEqualTo(0.6);
            assertThat(t.threshold()).isEqualTo(0.30);
            assertThat(t.evidence()).containsEntry("lag", 0.6);
            assertThat(t.summary()).isEqualTo("holds 0.6");
        });
    }
}
