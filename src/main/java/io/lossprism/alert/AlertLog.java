package io.lossprism.alert;

import io.lossprism.alert.rules.ActiveAlert;
import io.lossprism.bus.AlertEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What the API shows: the alerts now pending or firing, and the last transitions, newest first.
 * Written by the alert verticle, read by HTTP handlers on other threads; the history is bounded.
 */
public final class AlertLog {

    private final int capacity;
    private final Deque<AlertEvent> history = new ArrayDeque<>();
    private List<ActiveAlert> active = List.of();

    public AlertLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized void record(List<AlertEvent> events, List<ActiveAlert> nowActive) {
        for (AlertEvent event : events) {
            history.addFirst(event);
            if (history.size() > capacity) {
                history.removeLast();
            }
        }
        active = List.copyOf(nowActive);
    }

    /** A new run (or a rewind to a checkpoint): nothing is active any more, and the history starts over. */
    synchronized void reset() {
        history.clear();
        active = List.of();
    }

    public synchronized List<ActiveAlert> active() {
        return active;
    }

    public synchronized List<AlertEvent> history() {
        return new ArrayList<>(history);
    }
}
