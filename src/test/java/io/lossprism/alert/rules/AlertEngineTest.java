package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertEngineTest {

    private static final List<String> SEED_CLASSES = List.of("disc", "bar", "box", "ring", "speck");
    private static final List<String> CLASSES = List.of("disc", "bar", "speck");

    /** Every kind's default settings, smoothed by an EMA of weight 0.1. */
    private static AlertEngine withDefaultRules(List<String> classes) {
        return new AlertEngine(Smoothings.defaultRules(), Smoothings.EMA_TENTH, classes);
    }

    /**
     * The seed question as a batch: four classes segmented well, speck at IoU 0.23 with positive pixels
     * costing 3 nats, yet speck's term is a sliver of a loss that looks small.
     */
    private static BatchObservation seedBatch(String split, long iteration) {
        List<ClassObservation> classes = new ArrayList<>();
        for (String name : SEED_CLASSES.subList(0, 4)) {
            classes.add(new ClassObservation(name, 0.0025, 0.1, 0.95, 50));
        }
        classes.add(new ClassObservation("speck", 0.0003, 3.0, 0.23, 400));
        return new BatchObservation(split, iteration, 0.0103, 0.11, classes);
    }

    private static BatchObservation balancedSeedBatch(String split, long iteration) {
        List<ClassObservation> classes = new ArrayList<>();
        for (String name : SEED_CLASSES) {
            classes.add(new ClassObservation(name, 0.002, 0.1, 0.95, 50));
        }
        return new BatchObservation(split, iteration, 0.01, 0.1, classes);
    }

    /** Two classes lagging in IoU and hiding their errors; no smoothing, no hold. */
    private static BatchObservation twoBadClasses(long iteration) {
        return new BatchObservation(
                "train",
                iteration,
                1.0,
                1.0,
                List.of(
                        new ClassObservation("disc", 0.1, 1.0, 0.2, 400),
                        new ClassObservation("bar", 0.8, 1.0, 0.95, 10),
                        new ClassObservation("speck", 0.1, 1.0, 0.1, 590)));
    }

    @Test
    void defaultRulesFlagOnlySpeckInTheSeedScenario() {
        AlertEngine engine = withDefaultRules(SEED_CLASSES);

        for (int i = 1; i <= 4; i++) {
            assertThat(engine.evaluate(seedBatch("train", i)))
                    .allMatch(t -> t.to() == AlertState.PENDING && "speck".equals(t.className()));
        }
        List<Transition> fifth = engine.evaluate(seedBatch("train", 5));

        assertThat(fifth)
                .extracting(Transition::alertName, Transition::className, Transition::to)
                .containsExactly(
                        tuple("LossPrismClassIouLagging", "speck", AlertState.FIRING),
                        tuple("LossPrismClassPositiveLossHigh", "speck", AlertState.FIRING),
                        tuple("LossPrismClassHiddenByAveraging", "speck", AlertState.FIRING));
        assertThat(engine.active()).hasSize(3).allMatch(a -> a.state() == AlertState.FIRING);
        for (int i = 6; i <= 40; i++) {
            assertThat(engine.evaluate(seedBatch("train", i))).isEmpty();
        }
    }

    @Test
    void defaultRulesStayQuietOnABalancedRun() {
        AlertEngine engine = withDefaultRules(SEED_CLASSES);

        for (int i = 1; i <= 40; i++) {
            assertThat(engine.evaluate(balancedSeedBatch("train", i))).isEmpty();
        }
        assertThat(engine.active()).isEmpty();
    }

    @Test
    void rulesReadOnlySamplesOfTheirSplit() {
        RuleSettings validationOnly =
                RuleSettings.defaults(RuleKind.IOU_LAG).withSplit("validation").withForEvaluations(1);
        AlertEngine engine = new AlertEngine(List.of(validationOnly), Smoothings.ema(0.5), SEED_CLASSES);

        for (int i = 1; i <= 10; i++) {
            assertThat(engine.evaluate(seedBatch("train", i))).isEmpty();
        }
        List<Transition> transitions = engine.evaluate(seedBatch("validation", 11));

        assertThat(transitions)
                .extracting(Transition::split, Transition::className, Transition::to)
                .containsExactly(
                        tuple("validation", "speck", AlertState.PENDING),
                        tuple("validation", "speck", AlertState.FIRING));
        // the training batches did not feed the validation rule's smoothing: this is the first value
        assertThat(transitions.get(0).evidence().get("classIou")).isEqualTo(0.23);
    }

    @Test
    void aTrainingAndAValidationRuleOfOneKindKeepSeparateState() {
        RuleSettings train = RuleSettings.defaults(RuleKind.IOU_LAG).withForEvaluations(1);
        AlertEngine engine =
                new AlertEngine(List.of(train, train.withSplit("validation")), Smoothings.EMA_TENTH, SEED_CLASSES);

        engine.evaluate(seedBatch("train", 1));
        engine.evaluate(balancedSeedBatch("validation", 1));

        assertThat(engine.active())
                .extracting(ActiveAlert::split, ActiveAlert::className, ActiveAlert::state)
                .containsExactly(tuple("train", "speck", AlertState.FIRING));
    }

    @Test
    void transitionsComeRuleByRuleThenClassByClassThenInTheOrderTheyHappened() {
        RuleSettings hidden = RuleSettings.defaults(RuleKind.HIDDEN_CLASS).withForEvaluations(1);
        RuleSettings lag = RuleSettings.defaults(RuleKind.IOU_LAG).withForEvaluations(1);
        AlertEngine engine = new AlertEngine(List.of(hidden, lag), Smoothings.NONE, CLASSES);

        List<Transition> transitions = engine.evaluate(twoBadClasses(1));

        assertThat(transitions)
                .extracting(Transition::alertName, Transition::className, Transition::to)
                .containsExactly(
                        tuple("LossPrismClassHiddenByAveraging", "disc", AlertState.PENDING),
                        tuple("LossPrismClassHiddenByAveraging", "disc", AlertState.FIRING),
                        tuple("LossPrismClassHiddenByAveraging", "speck", AlertState.PENDING),
                        tuple("LossPrismClassHiddenByAveraging", "speck", AlertState.FIRING),
                        tuple("LossPrismClassIouLagging", "disc", AlertState.PENDING),
                        tuple("LossPrismClassIouLagging", "disc", AlertState.FIRING),
                        tuple("LossPrismClassIouLagging", "speck", AlertState.PENDING),
                        tuple("LossPrismClassIouLagging", "speck", AlertState.FIRING));
        assertThat(engine.active())
                .extracting(ActiveAlert::alertName, ActiveAlert::className)
                .containsExactly(
                        tuple("LossPrismClassHiddenByAveraging", "disc"),
                                tuple("LossPrismClassHiddenByAveraging", "speck"),
                        tuple("LossPrismClassIouLagging", "disc"), tuple("LossPrismClassIouLagging", "speck"));
    }

    @Test
    void theSameSamplesGiveTheSameTransitions() {
        List<List<Transition>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            AlertEngine engine = withDefaultRules(SEED_CLASSES);
            List<Transition> all = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                all.addAll(engine.evaluate(i % 3 == 0 ? balancedSeedBatch("train", i) : seedBatch("train", i)));
            }
            runs.add(all);
        }

        assertThat(runs.get(0)).isNotEmpty().isEqualTo(runs.get(1));
    }

    @Test
    void disabledRulesAreNotEvaluated() {
        RuleSettings lag = RuleSettings.defaults(RuleKind.IOU_LAG).withForEvaluations(1);
        AlertEngine engine = new AlertEngine(List.of(lag.withEnabled(false)), Smoothings.EMA_TENTH, SEED_CLASSES);

        assertThat(engine.evaluate(seedBatch("train", 1))).isEmpty();
    }

    @Test
    void classesAreMatchedByNameAndUnknownOnesIgnored() {
        RuleSettings lag = RuleSettings.defaults(RuleKind.IOU_LAG).withForEvaluations(1);
        AlertEngine engine = new AlertEngine(List.of(lag), Smoothings.EMA_TENTH, List.of("speck", "disc"));

        List<Transition> transitions = engine.evaluate(new BatchObservation(
                "train",
                1,
                1.0,
                1.0,
                List.of(
                        new ClassObservation("disc", 0.5, 1.0, 0.9, 5),
                        new ClassObservation("mystery", 0.5, 1.0, 0.0, 5),
                        new ClassObservation("speck", 0.5, 1.0, 0.1, 5))));

        assertThat(transitions).extracting(Transition::className).containsOnly("speck");
        assertThat(transitions.get(0).evidence().get("othersMeanIou")).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void aClassMissingFromASampleCountsAsAbsent() {
        RuleSettings lag = RuleSettings.defaults(RuleKind.IOU_LAG).withForEvaluations(1);
        AlertEngine engine = new AlertEngine(List.of(lag), Smoothings.ema(0.5), CLASSES);
        engine.evaluate(new BatchObservation(
                "train",
                1,
                1.0,
                1.0,
                List.of(
                        new ClassObservation("disc", 0.5, 1.0, 0.9, 5),
                        new ClassObservation("bar", 0.5, 1.0, 0.9, 5),
                        new ClassObservation("speck", 0.5, 1.0, 0.1, 5))));

        engine.evaluate(new BatchObservation(
                "train",
                2,
                1.0,
                1.0,
                List.of(
                        new ClassObservation("disc", 0.5, 1.0, 0.9, 5),
                        new ClassObservation("bar", 0.5, 1.0, 0.9, 5))));

        assertThat(engine.active())
                .singleElement()
                .satisfies(a -> assertThat(a.evidence().get("classIou")).isEqualTo(0.1));
    }

    @Test
    void returnedListsAreImmutable() {
        AlertEngine engine = withDefaultRules(SEED_CLASSES);
        List<Transition> transitions = engine.evaluate(seedBatch("train", 1));

        assertThatThrownBy(() -> transitions.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> engine.active().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> transitions.get(0).evidence().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsNoClassesOrDuplicateClasses() {
        List<RuleSettings> rules = List.of(RuleSettings.defaults(RuleKind.IOU_LAG));

        assertThatThrownBy(() -> new AlertEngine(rules, Smoothings.EMA_TENTH, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("classNames:");
        assertThatThrownBy(() -> new AlertEngine(rules, Smoothings.EMA_TENTH, List.of("disc", "disc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("classNames:");
        assertThatThrownBy(() -> new AlertEngine(rules, null, SEED_CLASSES))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("smoothing");
    }

    @Test
    void withNoRulesNothingHappens() {
        AlertEngine engine = new AlertEngine(List.of(), Smoothings.EMA_TENTH, SEED_CLASSES);

        assertThat(engine.evaluate(seedBatch("train", 1))).isEmpty();
        assertThat(engine.active()).isEmpty();
    }
}
