package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lifecycle of the three threshold rules, driven end to end through the engine. Smoothing is off
 * (EMA alpha 1) so that each sample sets speck's value exactly; the other classes stay well below.
 */
class ThresholdRuleLifecycleTest {

    private static final List<String> CLASSES = List.of("disc", "bar", "speck");

    /** Builds a sample whose rule value for speck is a given number. */
    enum Driver {
        IOU_LAG(RuleKind.IOU_LAG, 0.5, 0.28, 0.1) {
            @Override
            BatchObservation sample(long iteration, double lag) {
                return sample(
                        iteration,
                        1.0,
                        1.0,
                        List.of(
                                new ClassObservation("disc", 0.5, 1.0, 0.9, 10),
                                new ClassObservation("bar", 0.5, 1.0, 0.9, 10),
                                new ClassObservation("speck", 0.0, 1.0, 0.9 - lag, 10)));
            }

            @Override
            BatchObservation balanced(long iteration) {
                return sample(iteration, 0.0);
            }
        },
        POSITIVE_LOSS_RATIO(RuleKind.POSITIVE_LOSS_RATIO, 5.0, 2.8, 1.0) {
            @Override
            BatchObservation sample(long iteration, double ratio) {
                return sample(
                        iteration,
                        1.0,
                        1.0,
                        List.of(
                                new ClassObservation("disc", 0.5, 1.0, 0.9, 10),
                                new ClassObservation("bar", 0.5, 1.0, 0.9, 10),
                                new ClassObservation("speck", 0.0, ratio, 0.9, 10)));
            }

            @Override
            BatchObservation balanced(long iteration) {
                return sample(iteration, 1.0);
            }
        },
        HIDDEN_CLASS(RuleKind.HIDDEN_CLASS, 0.5, 0.22, 0.0) {
            @Override
            BatchObservation sample(long iteration, double gap) {
                // speck carries no loss, so its gap is its share of 1000 error pixels
                long speckErrors = Math.round(gap * 1000);
                long otherErrors = (1000 - speckErrors) / 2;
                return sample(
                        iteration,
                        1.0,
                        1.0,
                        List.of(
                                new ClassObservation("disc", 0.5, 1.0, 0.9, otherErrors),
                                new ClassObservation("bar", 0.5, 1.0, 0.9, otherErrors),
                                new ClassObservation("speck", 0.0, 1.0, 0.9, speckErrors)));
            }

            @Override
            BatchObservation balanced(long iteration) {
                return sample(
                        iteration,
                        0.9,
                        1.0,
                        List.of(
                                new ClassObservation("disc", 0.3, 1.0, 0.9, 100),
                                new ClassObservation("bar", 0.3, 1.0, 0.9, 100),
                                new ClassObservation("speck", 0.3, 1.0, 0.9, 100)));
            }
        };

        final RuleKind kind;
        /** Above the threshold: the condition holds. */
        final double above;
        /** Inside the hysteresis band: the condition does not hold, but a firing alert does not clear. */
        final double band;
        /** At or below threshold - hysteresis: clears a firing alert. */
        final double clear;

        Driver(RuleKind kind, double above, double band, double clear) {
            this.kind = kind;
            this.above = above;
            this.band = band;
            this.clear = clear;
        }

        abstract BatchObservation sample(long iteration, double speckValue);

        /** Every class alike. */
        abstract BatchObservation balanced(long iteration);

        RuleSettings rule(int forEvaluations) {
            return RuleSettings.defaults(kind).withForEvaluations(forEvaluations);
        }

        static BatchObservation sample(
                long iteration, double loss, double meanPositiveLoss, List<ClassObservation> classes) {
            return new BatchObservation("train", iteration, loss, meanPositiveLoss, classes);
        }
    }

    private static AlertEngine unsmoothed(RuleSettings settings) {
        return new AlertEngine(List.of(settings), Smoothings.NONE, CLASSES);
    }

    /** Feeds speck values from iteration 1 on and returns every transition as "class FROM->TO @iteration". */
    private static List<String> run(AlertEngine engine, Driver driver, double... speckValues) {
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < speckValues.length; i++) {
            engine.evaluate(driver.sample(i + 1, speckValues[i])).forEach(t -> steps.add(step(t)));
        }
        return steps;
    }

    static String step(Transition t) {
        return t.className() + " " + t.from() + "->" + t.to() + " @" + t.iteration();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void firesAfterTheHoldAndNamesOnlyTheDivergingClass(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(3));

        assertThat(run(engine, d, d.above, d.above, d.above))
                .containsExactly("speck INACTIVE->PENDING @1", "speck PENDING->FIRING @3");
        assertThat(engine.active()).singleElement().satisfies(alert -> {
            assertThat(alert.alertName()).isEqualTo(d.kind.alertName());
            assertThat(alert.className()).isEqualTo("speck");
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.sinceIteration()).isEqualTo(3);
            assertThat(alert.value()).isCloseTo(d.above, within(1e-9));
            assertThat(alert.severity()).isEqualTo("warning");
            assertThat(alert.split()).isEqualTo("train");
            assertThat(alert.summary()).contains("speck");
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void firingTransitionCarriesValueThresholdAndEvidence(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(1));

        List<Transition> transitions = engine.evaluate(d.sample(7, d.above));

        Transition firing = transitions.get(1);
        assertThat(firing.to()).isEqualTo(AlertState.FIRING);
        assertThat(firing.iteration()).isEqualTo(7);
        assertThat(firing.value()).isCloseTo(d.above, within(1e-9));
        assertThat(firing.threshold()).isEqualTo(RuleSettings.defaults(d.kind).threshold());
        assertThat(firing.evidence()).isNotEmpty();
        assertThat(firing.summary()).startsWith("class speck");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void staysQuietOnSteadyBalancedInputWithDefaultSettings(Driver d) {
        AlertEngine engine = new AlertEngine(List.of(RuleSettings.defaults(d.kind)), Smoothings.EMA_TENTH, CLASSES);

        for (int i = 1; i <= 30; i++) {
            assertThat(engine.evaluate(d.balanced(i))).isEmpty();
        }
        assertThat(engine.active()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void pendingFallsBackToInactiveWhenTheConditionStops(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(3));

        assertThat(run(engine, d, d.above, d.above, d.band))
                .containsExactly("speck INACTIVE->PENDING @1", "speck PENDING->INACTIVE @3");
        assertThat(engine.active()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void theHoldCountsConsecutiveEvaluationsOnly(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(3));

        assertThat(run(engine, d, d.above, d.above, d.clear, d.above, d.above, d.above))
                .containsExactly(
                        "speck INACTIVE->PENDING @1", "speck PENDING->INACTIVE @3",
                        "speck INACTIVE->PENDING @4", "speck PENDING->FIRING @6");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void pendingIsActiveWithTheIterationItStarted(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(3));
        run(engine, d, d.clear, d.above, d.above);

        assertThat(engine.active()).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.PENDING);
            assertThat(alert.sinceIteration()).isEqualTo(2);
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void firingHoldsInsideTheHysteresisBandThenResolvesThenGoesInactive(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(3));

        List<String> steps = run(engine, d, d.above, d.above, d.above, d.band, d.band, d.band, d.band);
        assertThat(steps).containsExactly("speck INACTIVE->PENDING @1", "speck PENDING->FIRING @3");
        assertThat(engine.active())
                .singleElement()
                .satisfies(alert -> assertThat(alert.state()).isEqualTo(AlertState.FIRING));

        assertThat(engine.evaluate(d.sample(8, d.clear)))
                .extracting(ThresholdRuleLifecycleTest::step)
                .containsExactly("speck FIRING->RESOLVED @8");
        assertThat(engine.active()).isEmpty();
        assertThat(engine.evaluate(d.sample(9, d.clear)))
                .extracting(ThresholdRuleLifecycleTest::step)
                .containsExactly("speck RESOLVED->INACTIVE @9");
        assertThat(engine.evaluate(d.sample(10, d.clear))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void resolvedGoesStraightBackToPendingWhenTheConditionReturns(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(3));

        assertThat(run(engine, d, d.above, d.above, d.above, d.clear, d.above, d.above, d.above))
                .containsExactly(
                        "speck INACTIVE->PENDING @1",
                        "speck PENDING->FIRING @3",
                        "speck FIRING->RESOLVED @4",
                        "speck RESOLVED->PENDING @5",
                        "speck PENDING->FIRING @7");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aHoldOfOneEmitsPendingAndFiringInTheSameEvaluation(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(1));

        assertThat(run(engine, d, d.above, d.clear, d.above))
                .containsExactly(
                        "speck INACTIVE->PENDING @1",
                        "speck PENDING->FIRING @1",
                        "speck FIRING->RESOLVED @2",
                        "speck RESOLVED->PENDING @3",
                        "speck PENDING->FIRING @3");
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void flappingAroundTheThresholdNeverOutlastsTheHold(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(3));
        double[] flapping = new double[20];
        for (int i = 0; i < flapping.length; i++) {
            flapping[i] = i % 2 == 0 ? d.above : d.band;
        }

        List<String> steps = run(engine, d, flapping);

        assertThat(steps).hasSize(20).noneMatch(step -> step.contains("FIRING"));
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void flappingAfterFiringFiresOnlyOnceThanksToHysteresis(Driver d) {
        AlertEngine engine = unsmoothed(d.rule(3));
        double[] values = new double[23];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < 3 || i % 2 == 0 ? d.above : d.band;
        }

        List<String> steps = run(engine, d, values);

        assertThat(steps).containsExactly("speck INACTIVE->PENDING @1", "speck PENDING->FIRING @3");
    }
}
