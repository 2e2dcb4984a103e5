package io.lossprism.bus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One alert changing state, with its evidence: the values that crossed the threshold and the
 * per-class decomposition of the batch that was evaluated. Immutable.
 *
 * @param runId     the run whose report the rule evaluated
 * @param className null for an alert about the whole loss
 * @param from      inactive, pending, firing or resolved
 * @param to        the new state
 * @param report    the batch report the rule evaluated, for the full per-class picture at that moment
 */
public record AlertEvent(
        String runId,
        int version,
        String alertName,
        String className,
        String severity,
        String split,
        String from,
        String to,
        long iteration,
        long timestamp,
        double value,
        double threshold,
        Map<String, Double> evidence,
        String summary,
        BatchReport report) {

    public static final int VERSION = 1;

    public AlertEvent {
        Objects.requireNonNull(runId, "runId");
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
}
