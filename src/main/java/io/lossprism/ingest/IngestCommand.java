package io.lossprism.ingest;

import java.util.List;

/**
 * A request from {@link IngestApi} to {@link IngestVerticle}, delivered locally by reference. The reply is
 * a JSON object {@code {"status": <HTTP status>, "body": {...}}}.
 *
 * @param action  create, batches, finish or show
 * @param runId   the run (null for create)
 * @param body    create: the run's declaration (JSON object); otherwise null
 * @param records batches: the decoded records, in order; otherwise empty
 */
record IngestCommand(Action action, String runId, Object body, List<Object> records) {

    /** The address {@link IngestVerticle} listens on. */
    static final String ADDRESS = "lossprism.ingest";

    enum Action {
        CREATE,
        BATCHES,
        FINISH,
        SHOW
    }

    IngestCommand {
        records = records == null ? List.of() : java.util.Collections.unmodifiableList(records);
    }
}
