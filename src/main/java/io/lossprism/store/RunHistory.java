package io.lossprism.store;

import java.util.List;
import java.util.Optional;

/**
 * Reading the run history: what the API, the dashboard's history and the run manager read, and nothing
 * that writes. Each call is a database query: call it from a worker thread, never from an event loop.
 */
public interface RunHistory {

    /** The run with this id, if stored. */
    Optional<RunRecord> run(String runId);

    /** All runs, newest first. */
    List<RunRecord> runs();

    /** The most recently created run, if any. */
    Optional<RunRecord> latestRun();

    /** Up to {@code limit} reports of a split with an iteration above {@code afterIteration}, ascending. */
    List<StoredReport> reports(String runId, String split, long afterIteration, int limit);

    /** How many report rows of a split are stored. */
    long reportRows(String runId, String split);

    /** How many original reports the stored rows of a split stand for (merged rows count each report). */
    long reportedIterations(String runId, String split);

    /** The report of a split with the highest iteration, if any (a merged row stands for its last iteration). */
    Optional<StoredReport> latestReport(String runId, String split);

    /** How many alert transitions of a run went to firing. */
    long firedAlerts(String runId);

    /** The last {@code limit} alert transitions of a run, in the order they were appended (newest last). */
    List<StoredAlert> alerts(String runId, int limit);
}
