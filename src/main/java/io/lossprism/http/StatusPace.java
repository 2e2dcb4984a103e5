package io.lossprism.http;

import io.lossprism.bus.TrainingStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How often each run's status goes to the dashboards: a change of state or message at once, progress at most once
 * per interval, the newest held one when the interval ends. Training publishes a status every batch,
 * and each is one more message to every client: at 20 batches a second with 200 clients, a status and a
 * batch per iteration made 8,000 writes a second on the cores training needs. Not thread-safe: one
 * thread (the HTTP verticle's) offers and releases.
 */
final class StatusPace {

    /** What to do with a status just offered. */
    enum Decision {
        /** Send it now. */
        SEND,
        /** Held: call {@link #release} after {@link #waitNanos}. */
        HOLD_AND_SCHEDULE,
        /** Held in place of one already held, whose release is scheduled. */
        HOLD
    }

    private record Sent(TrainingStatus.State state, String message, long atNanos) {}

    private final long intervalNanos;
    private final Map<String, Sent> sent = new HashMap<>();
    private final Map<String, TrainingStatus> held = new HashMap<>();

    StatusPace(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    Decision offer(TrainingStatus status, long nowNanos) {
        String run = status.runId();
        Sent last = sent.get(run);
        if (last == null
                || last.state() != status.state()
                || !last.message().equals(status.message())
                || nowNanos - last.atNanos() >= intervalNanos) {
            sent.put(run, new Sent(status.state(), status.message(), nowNanos));
            held.remove(run); // older than this one
            return Decision.SEND;
        }
        return held.put(run, status) == null ? Decision.HOLD_AND_SCHEDULE : Decision.HOLD;
    }

    /** How long the run's held status waits: until its interval since the last one sent ends. */
    long waitNanos(String runId, long nowNanos) {
        Sent last = sent.get(runId);
        return last == null ? 0 : Math.max(0, last.atNanos() + intervalNanos - nowNanos);
    }

    /** The newest status held for a run, to send now; empty when a later one was sent already. */
    Optional<TrainingStatus> release(String runId, long nowNanos) {
        TrainingStatus status = held.remove(runId);
        if (status != null) {
            sent.put(runId, new Sent(status.state(), status.message(), nowNanos));
        }
        return Optional.ofNullable(status);
    }

    /** Forgets a run (it is no longer live). */
    void forget(String runId) {
        sent.remove(runId);
        held.remove(runId);
    }
}
