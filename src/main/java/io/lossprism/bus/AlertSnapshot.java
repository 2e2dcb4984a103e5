package io.lossprism.bus;

import io.lossprism.alert.rules.ActiveAlert;
import java.util.List;
import java.util.Objects;

/**
 * What {@code /api/alerts} and a newly connected dashboard show of one run: the alerts now pending or firing
 * and the latest transitions, newest first. Immutable.
 */
public record AlertSnapshot(String runId, List<ActiveAlert> active, List<AlertEvent> history) {

    public AlertSnapshot {
        Objects.requireNonNull(runId, "runId");
        active = List.copyOf(active);
        history = List.copyOf(history);
    }

    /** No alert yet, or a run that started over. */
    public static AlertSnapshot empty(String runId) {
        return new AlertSnapshot(runId, List.of(), List.of());
    }
}
