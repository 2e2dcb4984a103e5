package io.lossprism.config;

import java.util.Objects;

/** The complete, validated application configuration. Build it with {@link ConfigLoader}. */
public record AppConfig(
        HttpConfig http,
        StorageConfig storage,
        CheckpointConfig checkpoint,
        TrainingConfig training,
        ModelConfig model,
        DataConfig data,
        MonitorConfig monitor,
        AlertsConfig alerts,
        LiveRunsConfig liveRuns,
        IngestConfig ingest) {

    public AppConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(liveRuns, "liveRuns");
        Objects.requireNonNull(ingest, "ingest");
    }
}
