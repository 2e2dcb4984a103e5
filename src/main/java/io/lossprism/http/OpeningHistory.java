package io.lossprism.http;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The {@code history} message a new client gets for a split, from the start of the run, built once and
 * shared by every client that connects while it is current: a long run's is megabytes, and a crowd of
 * dashboards opening at once must not make it once each. It is built by a {@link Worker}, off the event
 * loop, from a copy of the history taken on it; a build starts when the history grew by more than
 * {@value #MAX_TAIL} reports since the snapshot, and meanwhile the snapshot held is still served, with
 * the reports after it as a second, small message that is shared too. Only when the reports held
 * changed otherwise (a new run, a rewind, thinning) is there no snapshot to serve until the new one is
 * built.
 *
 * <p>Thread-safe: one per run serves the clients of every HTTP event loop, so a snapshot is built once
 * per split and change, not once per loop; the worker's results may come back on any thread.
 */
final class OpeningHistory {

    /** Reports a snapshot may lag behind before another is built; about 2.5 s of training at 20 it/s. */
    static final int MAX_TAIL = 50;

    /** Runs a build somewhere else, then hands its result (or failure) back on the caller's event loop. */
    interface Worker {
        void run(Callable<SharedText> work, Consumer<SharedText> done, Consumer<Throwable> failed);
    }

    /** Runs each build at once on the calling thread; for tests. */
    static final Worker SAME_THREAD = (work, done, failed) -> {
        SharedText result;
        try {
            result = work.call();
        } catch (Exception e) {
            failed.accept(e);
            return;
        }
        done.accept(result);
    };

    /**
     * @param last       the last iteration the message holds; a client gets the reports after it apart
     * @param generation the {@link ReportHistory#generation()} it was built from
     */
    record Snapshot(SharedText message, long last, long generation) {}

    /** The reports after a snapshot, as one message, for as long as the history does not grow. */
    private record Tail(Snapshot after, long last, SharedText message) {}

    private final ReportHistory history;
    private final int maxPoints;
    private final Worker worker;
    private final Runnable built;
    private final Map<String, Snapshot> snapshots = new HashMap<>();
    private final Map<String, Tail> tails = new HashMap<>();
    private final Set<String> building = new HashSet<>();
    private long builds;

    /** Builds on the calling thread; for tests. */
    OpeningHistory(ReportHistory history, int maxPoints) {
        this(history, maxPoints, SAME_THREAD, () -> {});
    }

    /** @param built called on the event loop after each build ends, whether it brought a snapshot or not */
    OpeningHistory(ReportHistory history, int maxPoints, Worker worker, Runnable built) {
        this.history = history;
        this.maxPoints = maxPoints;
        this.worker = worker;
        this.built = built;
    }

    /**
     * The shared opening history of a split to send now, or null when none of the reports held now is
     * ready (then one is being built, and {@code built} runs when it is done). Starts a build when the
     * one returned lags more than {@value #MAX_TAIL} reports behind.
     */
    synchronized Snapshot ready(String split) {
        Snapshot snapshot = snapshots.get(split);
        boolean current = snapshot != null && snapshot.generation() == history.generation();
        if (!current || history.countAfter(split, snapshot.last()) > MAX_TAIL) {
            build(split);
            snapshot = snapshots.get(split); // a worker on this thread has built it already
            current = snapshot != null && snapshot.generation() == history.generation();
        }
        return current ? snapshot : null;
    }

    /** The reports held after a snapshot, as one message, shared until the history grows; null when none. */
    synchronized SharedText tail(String split, Snapshot snapshot) {
        long last = history.last(split);
        if (last <= snapshot.last()) {
            return null;
        }
        Tail tail = tails.get(split);
        if (tail == null || tail.after() != snapshot || tail.last() != last) {
            tail = new Tail(
                    snapshot,
                    last,
                    SharedText.of(FeedMessages.history(history.since(split, snapshot.last(), maxPoints))));
            tails.put(split, tail);
        }
        return tail.message();
    }

    /** Snapshots built so far, all splits together (started builds; one whose result came too late counts). */
    synchronized long builds() {
        return builds;
    }

    /** Builds a split's snapshot from a copy of its reports taken now, unless a build is under way. */
    private void build(String split) {
        if (!building.add(split)) {
            return;
        }
        builds++;
        ReportHistory copy = history.copyOf(split);
        long generation = history.generation();
        long last = history.last(split);
        worker.run(
                () -> SharedText.of(FeedMessages.history(copy.since(split, 0, maxPoints))),
                message -> {
                    synchronized (this) {
                        building.remove(split);
                        Snapshot held = snapshots.get(split);
                        boolean newer = held == null || held.generation() != generation || held.last() < last;
                        if (generation == history.generation() && newer) {
                            snapshots.put(split, new Snapshot(message, last, generation));
                        }
                    }
                    built.run();
                },
                failure -> {
                    synchronized (this) {
                        building.remove(split);
                    }
                    built.run();
                });
    }
}
