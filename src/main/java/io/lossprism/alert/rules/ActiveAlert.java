package io.lossprism.alert.rules;

import java.util.Map;
import java.util.Objects;

/**
 * An alert instance that is PENDING or FIRING, with the numbers of its latest evaluation.
 *
 * @param className      null for {@link RuleKind#NON_FINITE_LOSS}
 * @param sinceIteration the iteration at which the instance entered {@code state}
 */
public record ActiveAlert(
        String alertName,
        String className,
        String severity,
        String split,
        AlertState state,
        long sinceIteration,
        double value,
        Map<String, Double> evidence,
        String summary) {

    public ActiveAlert {
        Objects.requireNonNull(alertName, "alertName");
        Objects.requireNonNull(state, "state");
        evidence = Evidence.copyOf(evidence);
    }
}
