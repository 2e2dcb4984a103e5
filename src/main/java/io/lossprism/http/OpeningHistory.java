package io.lossprism.http;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code history} message a new client gets for a split, from the start of the run, built once and
 * shared by every client that connects while it is fresh: a long run's is megabytes, and a crowd of
 * dashboards opening at once must not make it once each. It stays fresh while the history only grew at
 * the end, and by at most {@value #MAX_TAIL} reports: a client is sent those few as a second, small
 * {@code history} after it.
 *
 * <p>Not thread-safe: use it from the HTTP verticle's event loop only, like the {@link ReportHistory}.
 */
final class OpeningHistory {

    /** Reports a snapshot may lag behind before it is built again; about 2.5 s of training at 20 it/s. */
    static final int MAX_TAIL = 50;

    /**
     * @param last       the last iteration the message holds; a client gets the reports after it apart
     * @param generation the {@link ReportHistory#generation()} it was built from
     */
    record Snapshot(SharedText message, long last, long generation) {}

    private final ReportHistory history;
    private final int maxPoints;
    private final Map<String, Snapshot> snapshots = new HashMap<>();
    private long builds;

    OpeningHistory(ReportHistory history, int maxPoints) {
        this.history = history;
        this.maxPoints = maxPoints;
    }

    /** The shared opening history of a split, built again only when the one held is stale. */
    Snapshot of(String split) {
        Snapshot snapshot = snapshots.get(split);
        if (snapshot == null
                || snapshot.generation() != history.generation()
                || history.countAfter(split, snapshot.last()) > MAX_TAIL) {
            snapshot = new Snapshot(
                    SharedText.of(FeedMessages.history(history.since(split, 0, maxPoints))),
                    history.last(split),
                    history.generation());
            snapshots.put(split, snapshot);
            builds++;
        }
        return snapshot;
    }

    /** Snapshots built so far, all splits together. */
    long builds() {
        return builds;
    }
}
