package io.lossprism.alert.rules;

import java.util.Map;

/**
 * What a rule found for one alert instance at one evaluation.
 *
 * @param className      null for the single instance of {@link RuleKind#NON_FINITE_LOSS}
 * @param conditionHolds whether the alert condition holds (enters or keeps PENDING)
 * @param cleared        whether a firing alert may resolve; stricter than {@code !conditionHolds} by the hysteresis
 */
record Reading(
        String className,
        double value,
        boolean conditionHolds,
        boolean cleared,
        Map<String, Double> evidence,
        String summary) {

    Reading {
        evidence = Evidence.copyOf(evidence);
    }

    /** The common case: the condition is {@code value > threshold}, clearing needs {@code value <= threshold - hysteresis}. */
    static Reading aboveThreshold(
            String className, double value, RuleSettings settings, Map<String, Double> evidence, String summary) {
        return new Reading(
                className,
                value,
                value > settings.threshold(),
                value <= settings.threshold() - settings.hysteresis(),
                evidence,
                summary);
    }
}
