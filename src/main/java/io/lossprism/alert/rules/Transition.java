package io.lossprism.alert.rules;

import java.util.Map;
import java.util.Objects;

/**
 * One state change of one alert instance, caused by the observation of {@code iteration}.
 *
 * @param className null for {@link RuleKind#NON_FINITE_LOSS}, which watches the whole loss
 * @param value     the rule's value at this evaluation (e.g. the IoU lag)
 * @param evidence  the numbers behind {@code value}, in a fixed order
 * @param summary   one human sentence
 */
public record Transition(
        String alertName,
        String className,
        String severity,
        String split,
        AlertState from,
        AlertState to,
        long iteration,
        double value,
        double threshold,
        Map<String, Double> evidence,
        String summary) {

    public Transition {
        Objects.requireNonNull(alertName, "alertName");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        evidence = Evidence.copyOf(evidence);
    }
}
