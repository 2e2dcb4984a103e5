package io.lossprism.runs;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.RunEvent;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.vertx.core.eventbus.EventBus;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runs live now, side by side: the DL4J run the server trains (at most one) and any number of external
 * runs fed over HTTP. What {@code GET /api/live} lists and what the live feed follows by default.
 *
 * <p>DL4J runs register themselves: their first status in an active state adds them, as kind {@value #DL4J}.
 * An external run is added by its owner (the ingest API) and ended by it:
 *
 * <pre>{@code
 * liveRuns.register(runId, "my keras run", LiveRuns.EXTERNAL); // publishes RunEvent "started" and a status
 * liveRuns.progress(runId, epoch, iteration, imagesPerSecond); // optional: a status after a batch
 * liveRuns.finish(runId);                                      // publishes a FINISHED status
 * }</pre>
 *
 * The run's batch reports go to {@link Addresses#BATCH_REPORT} as the DL4J run's do, published by the owner;
 * the reports also move the listed iteration forward. Every watcher (alerts, metrics, feed) follows external
 * runs through the same addresses: a {@link RunEvent} when its history starts, {@link TrainingStatus}es, and a
 * status in a final state when it ends (which drops its alert state and starts its metrics' grace period).
 *
 * <p>An ended external run is remembered (the last {@value #ENDED_KEPT}), so that a status of it still on its way
 * does not list it again as a DL4J run.
 *
 * <p>Thread-safe: call it from any thread. It does not enforce {@code ingest.maxLiveRuns}: its owner checks
 * {@link #external()} before registering.
 */
public final class LiveRuns {

    /** Kind of a run the server trains. */
    public static final String DL4J = "dl4j";
    /** Kind of a run fed over HTTP by another framework. */
    public static final String EXTERNAL = "external";

    /** Ended runs remembered, so that a late status of one does not add it again. */
    private static final int ENDED_KEPT = 256;

    /**
     * One live run.
     *
     * @param kind  {@value #DL4J} or {@value #EXTERNAL}
     * @param state the label of its latest {@link TrainingStatus.State}
     * @param order registration order: larger is more recent
     */
    public record LiveRun(String id, String name, String kind, String state, long iteration, long order) {}

    private final EventBus bus;
    private final Map<String, LiveRun> runs = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ended = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENDED_KEPT;
        }
    });
    private final AtomicLong order = new AtomicLong();

    private LiveRuns(EventBus bus) {
        this.bus = bus;
    }

    /** A registry that follows the statuses and reports on {@code bus}; one per server. */
    public static LiveRuns follow(EventBus bus) {
        LiveRuns live = new LiveRuns(bus);
        bus.<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> live.onStatus(m.body()));
        bus.<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> live.onReport(m.body()));
        return live;
    }

    /**
     * Adds an external run and announces it: a {@link RunEvent} "started" at iteration 0 (history readers
     * reload it, alerts start over) and a TRAINING status.
     *
     * @throws IllegalStateException when a run with this id is live already
     */
    public void register(String runId, String name, String kind) {
        Objects.requireNonNull(runId, "runId");
        LiveRun run = new LiveRun(
                runId, name == null ? runId : name, kind, State.TRAINING.label(), 0, order.incrementAndGet());
        if (runs.putIfAbsent(runId, run) != null) {
            throw new IllegalStateException("run " + runId + " is live already");
        }
        ended.remove(runId);
        bus.publish(Addresses.RUN_EVENT, new RunEvent(runId, 0, "started"));
        bus.publish(Addresses.TRAINING_STATUS, externalStatus(runId, State.TRAINING, 0, 0, 0, ""));
    }

    /** Publishes a TRAINING status of a live external run after a batch: watchers see its progress. */
    public void progress(String runId, int epoch, long iteration, double imagesPerSecond) {
        if (runs.containsKey(runId)) {
            bus.publish(
                    Addresses.TRAINING_STATUS,
                    externalStatus(runId, State.TRAINING, epoch, iteration, imagesPerSecond, ""));
        }
    }

    /** Ends a live external run as FINISHED. */
    public void finish(String runId) {
        finish(runId, State.FINISHED, "");
    }

    /**
     * Ends a live external run: it leaves the list now, and a status in {@code state} (FINISHED, STOPPED or
     * FAILED) tells every watcher. Nothing happens for a run that is not live.
     */
    public void finish(String runId, State state, String message) {
        if (state.active()) {
            throw new IllegalArgumentException("a run ends finished, stopped or failed, not " + state.label());
        }
        LiveRun run = runs.remove(runId);
        if (run == null) {
            return;
        }
        ended.put(runId, Boolean.TRUE);
        bus.publish(Addresses.TRAINING_STATUS, externalStatus(runId, state, 0, run.iteration(), 0, message));
    }

    /** The live runs, most recent first. */
    public List<LiveRun> list() {
        return runs.values().stream()
                .sorted(Comparator.comparingLong(LiveRun::order).reversed())
                .toList();
    }

    public Optional<LiveRun> get(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** Live external runs: what {@code ingest.maxLiveRuns} bounds. */
    public int external() {
        return (int)
                runs.values().stream().filter(r -> EXTERNAL.equals(r.kind())).count();
    }

    /** The most recently registered live run, of any kind. */
    public Optional<LiveRun> mostRecent() {
        return runs.values().stream().max(Comparator.comparingLong(LiveRun::order));
    }

    private void onStatus(TrainingStatus status) {
        String id = status.runId();
        if (id.isEmpty()) {
            return;
        }
        if (!status.state().active()) {
            LiveRun gone = runs.remove(id);
            if (gone != null && EXTERNAL.equals(gone.kind())) {
                ended.put(id, Boolean.TRUE);
            }
            return;
        }
        runs.compute(id, (k, run) -> {
            if (run == null) {
                return ended.containsKey(id)
                        ? null
                        : new LiveRun(
                                id, id, DL4J, status.state().label(), status.iteration(), order.incrementAndGet());
            }
            return new LiveRun(
                    id,
                    run.name(),
                    run.kind(),
                    status.state().label(),
                    Math.max(run.iteration(), status.iteration()),
                    run.order());
        });
    }

    private void onReport(BatchReport report) {
        if ("train".equals(report.split())) {
            runs.computeIfPresent(
                    report.runId(),
                    (k, run) -> report.iteration() <= run.iteration()
                            ? run
                            : new LiveRun(
                                    run.id(), run.name(), run.kind(), run.state(), report.iteration(), run.order()));
        }
    }

    private static TrainingStatus externalStatus(
            String runId, State state, int epoch, long iteration, double imagesPerSecond, String message) {
        return new TrainingStatus(runId, state, epoch, 0, iteration, 0, imagesPerSecond, message, 0);
    }
}
