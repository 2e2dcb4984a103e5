package io.lossprism.http;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The current run's batch reports in memory, per split, as the JSON the feed sends, so that a client
 * that connects or falls behind gets the history without a database query. Memory is bounded: past the
 * cap a split thins itself to half of it, keeping every series' extremes, so older stretches get
 * coarser while the database keeps full detail.
 *
 * <p>Thread-safe: one history of a run serves the clients of every HTTP event loop; reports are added
 * on the HTTP verticle's own loop, slices and copies are read on the others.
 */
public final class ReportHistory {

    /** Reports kept per split before thinning. */
    public static final int DEFAULT_CAP = 10_000;

    private final int cap;
    private final Map<String, SplitHistory> splits = new HashMap<>();
    /** Counts the changes that are not appends: what was read before may no longer be what is held. */
    private long generation;

    public ReportHistory() {
        this(DEFAULT_CAP);
    }

    /** @param capPerSplit reports per split beyond which the split is thinned to half as many */
    public ReportHistory(int capPerSplit) {
        if (capPerSplit < 2) {
            throw new IllegalArgumentException("capPerSplit must be at least 2, got " + capPerSplit);
        }
        this.cap = capPerSplit;
    }

    /** Adds a live report; {@code json} is its encoded batch JSON, {@code ReportJson.batch(report).encode()}. */
    public void add(BatchReport report, String json) {
        add(report, ReportJson.batch(report), json);
    }

    /** Adds a live report; {@code batch} is {@code ReportJson.batch(report)}, {@code json} its encoding. */
    public void add(BatchReport report, JsonObject batch, String json) {
        add(report.split(), report.iteration(), ReportSeries.of(report), batch, json);
    }

    /**
     * Adds a stored report, e.g. loaded from the database at start; the series are read from the JSON.
     * A report of an iteration already held replaces it.
     *
     * @throws IllegalArgumentException when {@code json} is not a JSON object
     */
    public void add(String split, long iteration, String json) {
        JsonObject batch;
        try {
            batch = new JsonObject(json);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("report " + split + "/" + iteration + " is not a JSON object", e);
        }
        add(split, iteration, ReportSeries.of(batch), batch, json);
    }

    private synchronized void add(String split, long iteration, double[] values, JsonObject batch, String json) {
        SplitHistory held = split(split);
        if (!held.add(iteration, values, ReportColumns.of(batch, held.lastClasses()), json)) {
            generation++;
        }
    }

    /**
     * The reports of a split with an iteration greater than {@code afterIteration}; at most
     * {@code maxPoints}, downsampled keeping the first, the last and every series' extremes.
     *
     * @param maxPoints at least 2 + 2 x (1 + 5 x classes), e.g. 54 for 5 classes
     */
    public synchronized HistorySlice since(String split, long afterIteration, int maxPoints) {
        SplitHistory history = splits.get(split);
        return history == null
                ? new HistorySlice(split, afterIteration, 0, false, List.of())
                : history.since(split, afterIteration, maxPoints);
    }

    /**
     * A copy of one split as held now, which nothing changes afterwards: it may be read on another
     * thread (handed over through an executor) while this history grows. Copies references only.
     */
    public synchronized ReportHistory copyOf(String split) {
        ReportHistory copy = new ReportHistory(cap);
        SplitHistory held = splits.get(split);
        if (held != null) {
            copy.splits.put(split, held.copy());
        }
        copy.generation = generation;
        return copy;
    }

    /** The last iteration held for a split; 0 when there is none (iterations start at 1). */
    public synchronized long last(String split) {
        SplitHistory history = splits.get(split);
        return history == null ? 0 : history.last();
    }

    /** Reports held for a split with an iteration greater than {@code afterIteration}. */
    public synchronized int countAfter(String split, long afterIteration) {
        SplitHistory history = splits.get(split);
        return history == null ? 0 : history.countAfter(afterIteration);
    }

    /**
     * Changes when reports already held change: replaced, inserted before others, thinned or cleared. While
     * it stays the same, the history only grew at the end, so what was read from it still holds.
     */
    public synchronized long generation() {
        return generation;
    }

    /** Reports held for a split, after any thinning. */
    public synchronized int size(String split) {
        SplitHistory history = splits.get(split);
        return history == null ? 0 : history.size();
    }

    /** Forgets everything, for a new run. */
    public synchronized void clear() {
        splits.clear();
        generation++;
    }

    private SplitHistory split(String split) {
        return splits.computeIfAbsent(split, s -> new SplitHistory(cap));
    }
}
