package io.lossprism.metrics;

import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Removes a finished run's series after a grace period, so that Prometheus scrapes its last values first and
 * the series a scrape holds stay bounded: live runs, plus at most {@code maxWaiting} finished ones (past that
 * the one that finished first goes at once). A run that comes back (resumed) before its time is kept.
 *
 * <p>Runs on the metrics verticle's event loop only, like the timers it sets.
 */
final class FinishedRuns {

    private final Vertx vertx;
    private final long graceMillis;
    private final int maxWaiting;
    private final Consumer<String> remove;
    /** Finished runs waiting for removal, oldest first, with their timers. */
    private final Map<String, Long> waiting = new LinkedHashMap<>();

    FinishedRuns(Vertx vertx, long graceMillis, int maxWaiting, Consumer<String> remove) {
        this.vertx = vertx;
        this.graceMillis = graceMillis;
        this.maxWaiting = maxWaiting;
        this.remove = remove;
    }

    /** The run ended: its series go after the grace period (at once when it is 0). */
    void ended(String runId) {
        if (waiting.containsKey(runId)) {
            return;
        }
        if (graceMillis <= 0) {
            remove.accept(runId);
            return;
        }
        waiting.put(runId, vertx.setTimer(graceMillis, id -> {
            waiting.remove(runId);
            remove.accept(runId);
        }));
        if (waiting.size() > maxWaiting) {
            var oldest = waiting.entrySet().iterator().next();
            waiting.remove(oldest.getKey());
            vertx.cancelTimer(oldest.getValue());
            remove.accept(oldest.getKey());
        }
    }

    /** The run reports or trains again: its series stay. */
    void live(String runId) {
        Long timer = waiting.remove(runId);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
