package io.lossprism.alert;

import io.lossprism.alert.rules.ActiveAlert;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.AlertSnapshot;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The alerts now pending or firing, and the last transitions, newest first; the history is bounded.
 * Owned by the alert verticle, which publishes a {@link AlertSnapshot} of it after each change: not
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

    /** A new run (or a rewind to a checkpoint): nothing is active any more, and the history starts over. */
    void reset() {
        history.clear();
        active = List.of();
    }

    AlertSnapshot snapshot() {
        return new AlertSnapshot(active, List.copyOf(history));
    }
}
