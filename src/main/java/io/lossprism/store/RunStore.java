package io.lossprism.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The run history of one data directory, in the SQLite file {@code <directory>/lossprism.db}: runs,
 * every batch and validation report, and alert transitions.
 *
 * <p>Each write is one transaction, committed when the method returns; a process killed at any moment
 * loses nothing that was committed and never leaves a half-written row. Thread-safe: calls take turns on
 * one connection, so writes are meant to come from one worker thread and reads from others now and then;
 * {@link #downsample} lets other calls in between its steps. Readers are handed it as a {@link RunHistory}.
 * Every failure is a {@link StoreException} naming the file; a call after {@link #close} is an
 * {@link IllegalStateException}.
 */
public final class RunStore implements RunHistory, AutoCloseable {

    /** The database's name inside the data directory. */
    public static final String FILE_NAME = "lossprism.db";

    /** The state of a run that {@link #createRun} just stored. */
    public static final String CREATED = "created";

    private final Database db;

    private RunStore(Database db) {
        this.db = db;
    }

    /**
     * Opens the history in {@code directory}, creating the directory and the database if needed.
     *
     * @throws StoreException naming the file when it cannot be created or read, is not a database, is
     *         another application's database, or was written by a newer LossPrism
     * @throws CorruptStoreException when SQLite's integrity check finds the existing file damaged; nothing
     *         has been written into it
     */
    public static RunStore open(Path directory) {
        Path file = directory.toAbsolutePath().normalize().resolve(FILE_NAME);
        try {
            OwnerOnly.folder(directory.toAbsolutePath().normalize());
            OwnerOnly.database(file);
        } catch (IOException e) {
            throw new StoreException("Cannot create the directory of run history " + file + ": " + e, e);
        }
        return new RunStore(Database.open(file));
    }

    /** The database file. */
    public Path file() {
        return db.file();
    }

    // ---- runs

    /** Stores a new run in state {@value #CREATED} at iteration 0; an existing id is an error. */
    public void createRun(String runId, String configJson, long createdAtMillis) {
        Objects.requireNonNull(configJson, "configJson");
        db.transaction("create run " + runId, c -> {
            if (Runs.exists(c, id(runId))) {
                throw new StoreException("Run history " + file() + " already has a run " + runId);
            }
            Runs.insert(c, runId, configJson, createdAtMillis);
            return null;
        });
    }

    /**
     * Stores a new run of another kind than "dl4j" (an "external" run fed over the ingest API) with its
     * metadata (JSON), in state {@value #CREATED}; an existing id is an error.
     */
    public void createRun(String runId, String kind, String configJson, String metaJson, long createdAtMillis) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(configJson, "configJson");
        db.transaction("create run " + runId, c -> {
            if (Runs.exists(c, id(runId))) {
                throw new StoreException("Run history " + file() + " already has a run " + runId);
            }
            Runs.insert(c, runId, kind, configJson, metaJson, createdAtMillis);
            return null;
        });
    }

    @Override
    public Optional<RunOrigin> origin(String runId) {
        return db.read("read run " + runId, c -> Runs.origin(c, id(runId)));
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        return db.read("read run " + runId, c -> Runs.find(c, id(runId)));
    }

    @Override
    public List<RunRecord> runs() {
        return db.read("list runs", c -> Runs.newest(c, Integer.MAX_VALUE));
    }

    @Override
    public Optional<RunRecord> latestRun() {
        // external runs are fed over HTTP: never one to resume here
        return db.read("read latest run", c -> Runs.newestOfKind(c, RunOrigin.DL4J));
    }

    /** Records where a run stands; the run must exist. */
    public void updateRun(String runId, String state, long iteration, int epoch, String message, long updatedAtMillis) {
        Objects.requireNonNull(state, "state");
        int updated = db.transaction(
                "update run " + runId,
                c -> Runs.update(c, id(runId), state, iteration, epoch, message, updatedAtMillis));
        if (updated == 0) {
            throw new StoreException("Run history " + file() + " has no run " + runId);
        }
    }

    /**
     * Sets a run's name and notes: a null leaves that one unchanged, an empty text clears it.
     *
     * @return false when there is no such run
     */
    public boolean label(String runId, String name, String notes) {
        return db.transaction("label run " + runId, c -> Runs.label(c, id(runId), name, notes)) > 0;
    }

    /**
     * Deletes a run with its reports and alerts, in one transaction. Whether the run may go (it is not
     * training) is the caller's to decide.
     *
     * @return false when there is no such run
     */
    public boolean deleteRun(String runId) {
        return db.transaction("delete run " + runId, c -> {
            Reports.deleteRun(c, id(runId));
            Alerts.deleteRun(c, runId);
            return Runs.delete(c, runId) > 0;
        });
    }

    /**
     * Records a run's state and message only, keeping its stored iteration and epoch: for a run that could
     * not start or be resumed, whose position is still that of its history and checkpoints.
     */
    public void updateState(String runId, String state, String message, long updatedAtMillis) {
        Objects.requireNonNull(state, "state");
        int updated = db.transaction(
                "update run " + runId, c -> Runs.updateState(c, id(runId), state, message, updatedAtMillis));
        if (updated == 0) {
            throw new StoreException("Run history " + file() + " has no run " + runId);
        }
    }

    // ---- reports

    /**
     * Appends one report (the batch or validation report's JSON text) at full detail in its own
     * transaction; a report already stored at the same run, split and iteration is replaced. The run must
     * exist.
     */
    public void appendReport(String runId, String split, long iteration, String json) {
        appendReports(runId, List.of(new ReportRow(split, iteration, json)));
    }

    /** Appends several reports in one transaction: all are stored, or none. Cheaper per report under load. */
    public void appendReports(String runId, List<ReportRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        db.transaction("append reports to run " + runId, c -> {
            Reports.upsert(c, id(runId), rows);
            return null;
        });
    }

    /**
     * Appends the reports whose (split, iteration) is not stored yet, in one transaction, and leaves the
     * others as they are: a batch sent twice is stored once.
     *
     * @return for each row, true if it was stored now
     */
    public boolean[] appendNewReports(String runId, List<ReportRow> rows) {
        if (rows.isEmpty()) {
            return new boolean[0];
        }
        return db.transaction("append reports to run " + runId, c -> Reports.insertNew(c, id(runId), rows));
    }

    @Override
    public List<StoredReport> reports(String runId, String split, long afterIteration, int limit) {
        Objects.requireNonNull(split, "split");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return db.read("read reports of run " + runId, c -> Reports.after(c, id(runId), split, afterIteration, limit));
    }

    @Override
    public long reportRows(String runId, String split) {
        Objects.requireNonNull(split, "split");
        return db.read("count reports of run " + runId, c -> Reports.count(c, id(runId), split, false));
    }

    @Override
    public long reportedIterations(String runId, String split) {
        Objects.requireNonNull(split, "split");
        return db.read("count reports of run " + runId, c -> Reports.count(c, id(runId), split, true));
    }

    @Override
    public Optional<StoredReport> latestReport(String runId, String split) {
        Objects.requireNonNull(split, "split");
        return db.read("read latest report of run " + runId, c -> Reports.latest(c, id(runId), split));
    }

    /** The highest iteration of the run's stored reports, any split; 0 when none is stored. */
    public long lastIteration(String runId) {
        return db.read("read last iteration of run " + runId, c -> Reports.last(c, id(runId)));
    }

    // ---- alerts

    /** Appends an alert transition (its JSON text); the run must exist. */
    public void appendAlert(String runId, long iteration, long timeMillis, String json) {
        Objects.requireNonNull(json, "json");
        db.transaction("append alert to run " + runId, c -> {
            Alerts.insert(c, id(runId), iteration, timeMillis, json);
            return null;
        });
    }

    @Override
    public List<StoredAlert> alerts(String runId, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return db.read("read alerts of run " + runId, c -> Alerts.last(c, id(runId), limit));
    }

    @Override
    public long firedAlerts(String runId) {
        return db.read("count alerts of run " + runId, c -> Alerts.countFiring(c, id(runId)));
    }

    // ---- resume and retention

    /**
     * Deletes a run's reports and alerts after {@code iteration}, in one transaction, for a run resumed
     * from a checkpoint taken there: what came after will be trained, and stored, again. A merged row is
     * kept or deleted as a whole, by its (last) iteration.
     *
     * @return the rows deleted, reports and alerts together
     */
    public int truncateAfter(String runId, long iteration) {
        return db.transaction(
                "truncate run " + runId,
                c -> Reports.deleteAfter(c, id(runId), iteration) + Alerts.deleteAfter(c, runId, iteration));
    }

    /**
     * Downsamples old detail instead of dropping it. Per split, the buckets of {@code factor} consecutive
     * iterations (1..factor, factor+1..2 factor, ...) that end at or before {@code keepDetailAfterIteration}
     * and hold more than one full-detail report are each replaced by one row at the last report's iteration:
     * {@code merged} is their count, the JSON their {@link JsonMean mean} with the last report's
     * {@code iteration}, {@code epoch} and {@code timestamp}, plus {@code merged}, {@code lossMin},
     * {@code lossMax} and {@code lossUndefined} (reports without a finite loss). A bucket that the boundary
     * cuts keeps its detail until a later call passes it; every report after the boundary stays as it is.
     *
     * <p>Rows already merged are left alone, so repeating a call changes nothing; a factor of 1 changes
     * nothing. The work goes in steps of whole buckets, one transaction each: a crash leaves every bucket
     * either as it was or merged, and other calls may run between steps.
     *
     * @return the run's report rows (all splits) before and after
     */
    public RetentionResult downsample(String runId, long keepDetailAfterIteration, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be at least 1: " + factor);
        }
        return Retention.downsample(db, id(runId), keepDetailAfterIteration, factor);
    }

    /** Closes the database; SQLite then folds the write-ahead log into the file. Idempotent. */
    @Override
    public void close() {
        db.close();
    }

    /** The connection, for tests in this package. */
    Database database() {
        return db;
    }

    private static String id(String runId) {
        return Objects.requireNonNull(runId, "runId");
    }
}
