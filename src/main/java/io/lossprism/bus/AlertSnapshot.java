package io.lossprism.bus;

import io.lossprism.alert.rules.ActiveAlert;
import java.util.List;

/**
 * What {@code /api/alerts} and a newly connected dashboard show: the alerts now pending or firing and the
 * latest transitions, newest first. Immutable.
 */
public record AlertSnapshot(List<ActiveAlert> active, List<AlertEvent> history) {

    /** No alert yet, or a new run. */
    public static final AlertSnapshot EMPTY = new AlertSnapshot(List.of(), List.of());

    public AlertSnapshot {
        active = List.copyOf(active);
        history = List.copyOf(history);
    }
}
