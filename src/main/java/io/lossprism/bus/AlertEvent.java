package io.lossprism.bus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert changing state, with its evidence: the values that crossed the threshold and the
 * per-class decomposition of the batch that was evaluated. Immutable.
 *
 * @param className null for an alert about the whole loss
 * @param from      inactive, pending, firing or resolved
 * @param to        the new state
 * @param report    the batch report the rule evaluated, for the full per-class picture at that moment
 */
public record AlertEvent(
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
        evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
}
