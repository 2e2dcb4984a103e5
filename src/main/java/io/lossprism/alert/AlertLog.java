package io.lossprism.alert;

import io.lossprism.alert.rules.ActiveAlert;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.AlertSnapshot;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The alerts of one run now pending or firing, and its last transitions, newest first; the history is bounded.
 * Owned by {@link AlertRuns}, which publishes a {@link AlertSnapshot} of it after each change: not
 * thread-safe.
 */
final class AlertLog {

    private final int capacity;
    private final Deque<AlertEvent> history = new ArrayDeque<>();
    private List<ActiveAlert> active = List.of();

    AlertLog(int capacity) {
        this.capacity = capacity;
    }

    void record(List<AlertEvent> events, List<ActiveAlert> nowActive) {
        for (AlertEvent event : events) {
            history.addFirst(event);
            if (history.size() > capacity) {
                history.removeLast();
            }
        }
        active = List.copyOf(nowActive);
    }

    AlertSnapshot snapshot(String runId) {
        return new AlertSnapshot(runId, active, List.copyOf(history));
    }
}
