package io.lossprism.http;

import io.vertx.core.json.JsonObject;

/** What the {@link LiveFeed} asks about runs: which one a client follows, and each run's opening messages. */
interface LiveFeedRuns {

    /** The run a client that names none follows: the live DL4J run, else the most recent live run, else the last. */
    String defaultRun();

    /** The {@code hello} message of a run, made at each connect. */
    JsonObject hello(String runId);

    /** A run's {@code active} and {@code history} alerts, as GET /api/alerts gives them. */
    JsonObject alerts(String runId);

    /**
     * A client follows a run whose history the feed does not hold (one that ended, or was not loaded): load it
     * into {@link LiveFeed#history}, then {@link LiveFeed#restart} it.
     */
    void load(String runId);

    /** Whether pause, resume and stop apply to a run: it is the DL4J run the server trains. */
    boolean controllable(String runId);

    /** Whether a run's history stays held while no client follows it: it is live, or the current DL4J run. */
    boolean retained(String runId);
}
