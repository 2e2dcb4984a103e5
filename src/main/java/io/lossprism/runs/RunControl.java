package io.lossprism.runs;

import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;

/**
 * What the web side may do with runs: start one, pause, resume or stop one, name or delete one, and see
 * which one is current.
 * Callable from any thread; a request that cannot be done fails with a {@link RunException} whose status
 * says why.
 */
public interface RunControl {

    /** Starts a new run from the server's configuration plus {@code overrides}; its id when it is deployed. */
    Future<String> startRun(List<String> overrides);

    /**
     * Pauses, resumes or stops a run.
     *
     * @param action "pause", "resume" or "stop"
     */
    Future<TrainingStatus> control(String runId, String action);

    /**
     * Sets a run's name and notes: a null leaves that one unchanged, an empty text clears it. 404 for an
     * unknown id. The caller checks the texts.
     */
    Future<Void> labelRun(String runId, String name, String notes);

    /**
     * Deletes a stored run: its rows and its folder of checkpoints. Refused with 409 for the run that holds
     * the trainer (training, starting or paused), 404 for an unknown id.
     */
    Future<Void> deleteRun(String runId);

    /** The run the dashboard shows: the active one, or the last one; empty before any. */
    String currentRunId();

    /**
     * The network a run trains (source, layers, parameters, shapes), once its training has started; else null.
     * Reads a file: call off the event loop.
     */
    JsonObject model(String runId) throws IOException;

    /** The configuration of the current run; the server's before any run. */
    AppConfig currentConfig();
}
