package io.lossprism.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where runs, their history, checkpoints and the generated token live, and how long full detail is kept.
 *
 * @param resume            true resumes the latest unfinished run at start instead of starting a new one
 * @param detailIterations  every report of the latest this many iterations of a run is kept as is
 * @param downsampleFactor  older reports are merged into one mean report per this many iterations
 */
public record StorageConfig(Path dir, boolean resume, int detailIterations, int downsampleFactor) {

    public StorageConfig {
        Objects.requireNonNull(dir, "dir");
    }
}
