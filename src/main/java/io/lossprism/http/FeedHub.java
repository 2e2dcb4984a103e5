package io.lossprism.http;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.TrainingStatus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the live feed holds once for the whole process, whatever the number of HTTP event loops: each
 * run's {@link ReportHistory}, its shared {@link OpeningHistory} snapshots and latest samples, the opening
 * pace, the count of clients and of the clients following each run. Each loop's {@link LiveFeed} keeps
 * its own sockets and registers here; a live message is added to the history, encoded once, and then
 * handed to every loop, on that loop, for its own clients. Adding before handing over keeps the
 * promise of {@link ClientChannel#batch}: a report sent live is already in the history.
 *
 * <p>Thread-safe. Live messages come in on one thread (the HTTP verticle's loop, or the single loop's
 * own in tests), so each loop gets them in order.
 */
final class FeedHub {

    private static final Logger LOG = LoggerFactory.getLogger(FeedHub.class);

    /** A loop's feed and the context its clients' sockets run on (null outside Vert.x: delivered at once). */
    private record Loop(LiveFeed feed, Context context) {}

    private final List<Loop> loops = new CopyOnWriteArrayList<>();
    /** Per run: its history, opening snapshots and latest samples. */
    private final Map<String, RunFeed> runs = new ConcurrentHashMap<>();
    /** Clients following each run, over all loops; guarded by itself. */
    private final Map<String, Integer> followers = new HashMap<>();

    private final Predicate<String> retained;
    /** Openings sent per second at most, over all loops, after a burst of {@value LiveFeed#MAX_OPENINGS}. */
    private final TokenBucket pace;

    private final int openingsPerSecond;
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong openingsTaken = new AtomicLong();
    /** Opening snapshots built by runs since dropped. */
    private final AtomicLong droppedBuilds = new AtomicLong();

    /**
     * @param retained          whether a run's history stays held while nobody follows it
     * @param openingsPerSecond openings sent per second at most, all loops together
     * @param clock             the pace's clock, in nanoseconds
     */
    FeedHub(Predicate<String> retained, int openingsPerSecond, LongSupplier clock) {
        this.retained = retained;
        this.openingsPerSecond = openingsPerSecond;
        this.pace = new TokenBucket(LiveFeed.MAX_OPENINGS, openingsPerSecond, clock);
    }

    /** A loop's feed joins: from now on its clients get live messages. */
    void register(LiveFeed feed, Context context) {
        loops.add(new Loop(feed, context));
    }

    /** A loop's feed leaves (its verticle stops). */
    void unregister(LiveFeed feed) {
        loops.removeIf(l -> l.feed() == feed);
    }

    /** Takes one opening from the process-wide pace; false when the pace allows none now. */
    boolean takeOpening() {
        if (!pace.tryTake()) {
            return false;
        }
        openingsTaken.incrementAndGet();
        return true;
    }

    /** Openings the pace has let out so far, all loops together. */
    long openingsTaken() {
        return openingsTaken.get();
    }

    int openingsPerSecond() {
        return openingsPerSecond;
    }

    /** What the feed holds of a run, held from now on (new and empty when it was not). */
    RunFeed feed(String runId) {
        return runs.computeIfAbsent(runId, id -> new RunFeed());
    }

    /** Whether the feed holds a run's history now. */
    boolean holds(String runId) {
        return runs.containsKey(runId);
    }

    /** A run's history, held from now on. */
    ReportHistory history(String runId) {
        return feed(runId).history;
    }

    void onBatch(BatchReport report) {
        JsonObject batch = ReportJson.batch(report);
        String json = batch.encode();
        feed(report.runId()).history.add(report, batch, json);
        SharedText shared = SharedText.of(json);
        each(feed -> feed.deliverBatch(report.runId(), report.split(), report.iteration(), shared));
    }

    void onAlert(AlertEvent event) {
        SharedText json = SharedText.of(ReportJson.alert(event).encode());
        each(feed -> feed.deliverAlert(event.runId(), json));
    }

    void onStatus(TrainingStatus status) {
        SharedText json =
                SharedText.of(ReportJson.status(status).put("type", "status").encode());
        each(feed -> feed.deliverStatus(status.runId(), json));
        if (!status.state().active()) {
            dropIfUnwatched(status.runId());
        }
    }

    /** A {@code samples} message of a run (its {@code type} is set here); kept for clients that connect later. */
    void onSamples(String runId, JsonObject samples) {
        RunFeed run = feed(runId);
        SharedText json = SharedText.of(samples.copy().put("type", "samples").encode());
        run.latestSamples = json;
        each(feed -> feed.deliverSamples(runId, json));
    }

    /**
     * A run's history changed under its clients: every loop sends its clients the opening again.
     *
     * @param newRun true also forgets the run's samples, which belonged to its old history
     */
    void restart(String runId, boolean newRun) {
        RunFeed restarted = feed(runId);
        if (newRun) {
            restarted.latestSamples = null;
        }
        each(feed -> feed.restartClients(runId));
    }

    /** An opening snapshot was built: every loop's waiting clients may have their turn. */
    void snapshotBuilt() {
        each(LiveFeed::scheduleAdmission);
    }

    /** A client of some loop follows a run now. */
    void follow(String runId) {
        synchronized (followers) {
            followers.merge(runId, 1, Integer::sum);
        }
    }

    /** A client of some loop no longer follows a run; the run is dropped if nobody else does. */
    void unfollow(String runId) {
        synchronized (followers) {
            followers.computeIfPresent(runId, (id, n) -> n > 1 ? n - 1 : null);
        }
        dropIfUnwatched(runId);
    }

    /** Forgets a run's history once nobody follows it and it is neither live nor the current DL4J run. */
    void dropIfUnwatched(String runId) {
        synchronized (followers) {
            if (followers.containsKey(runId) || retained.test(runId)) {
                return;
            }
            RunFeed gone = runs.remove(runId);
            if (gone != null) {
                droppedBuilds.addAndGet(gone.openings.builds());
            }
        }
    }

    void clientConnected() {
        clients.incrementAndGet();
    }

    void clientClosed() {
        clients.decrementAndGet();
    }

    /** Connected clients, all loops together. */
    int clients() {
        return clients.get();
    }

    /** Snapshots of the opening history built so far: one per split and change, not one per client or loop. */
    long openingBuilds() {
        return droppedBuilds.get()
                + runs.values().stream().mapToLong(r -> r.openings.builds()).sum();
    }

    /** The runs whose history the feed holds now. */
    Set<String> heldRuns() {
        return Set.copyOf(runs.keySet());
    }

    /** Runs {@code action} for every loop's feed on that loop: at once for the loop running now. */
    private void each(Consumer<LiveFeed> action) {
        Context current = Vertx.currentContext();
        for (Loop loop : loops) {
            if (loop.context() == null || loop.context() == current) {
                action.accept(loop.feed());
            } else {
                loop.context().runOnContext(v -> action.accept(loop.feed()));
            }
        }
    }

    /** What the feed holds of one run, for the clients of every loop. */
    final class RunFeed {
        final ReportHistory history = new ReportHistory();
        final OpeningHistory openings =
                new OpeningHistory(history, LiveFeed.HISTORY_POINTS, FeedHub::build, FeedHub.this::snapshotBuilt);
        volatile SharedText latestSamples;
    }

    /**
     * Builds an opening snapshot on a worker thread: a long history's takes tens of milliseconds, which on
     * an event loop every request and socket of that loop would wait for. Outside Vert.x, at once.
     */
    private static void build(Callable<SharedText> work, Consumer<SharedText> done, Consumer<Throwable> failed) {
        Context context = Vertx.currentContext();
        if (context == null) {
            OpeningHistory.SAME_THREAD.run(work, done, failed);
            return;
        }
        context.executeBlocking(work, false).onComplete(result -> {
            if (result.succeeded()) {
                done.accept(result.result());
            } else {
                LOG.warn(
                        "building an opening history failed: {}", result.cause().toString());
                failed.accept(result.cause());
            }
        });
    }
}
