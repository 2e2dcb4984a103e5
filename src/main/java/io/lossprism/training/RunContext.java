package io.lossprism.training;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a training verticle needs to know about its run: its id, its folder (checkpoints), its journal,
 * and whether to continue from the run's last checkpoint and whether to wait paused.
 */
public record RunContext(String runId, Path dir, RunJournal journal, boolean resume, boolean startPaused) {

    public RunContext {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(journal, "journal");
    }
}
