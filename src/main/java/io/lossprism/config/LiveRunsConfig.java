package io.lossprism.config;

/**
 * How many runs may be live at once, and how long a finished run's series stay on {@code /metrics}: together
 * they bound the exported series (see the README's metrics section).
 *
 * @param maxLiveRuns             external runs live at once at most ({@code ingest.maxLiveRuns}); the DL4J run
 *                                the server trains comes on top
 * @param finishedRunGraceSeconds seconds a finished run's series stay on {@code /metrics}, so that a scrape
 *                                sees its last values ({@code metrics.finishedRunGraceSeconds})
 */
public record LiveRunsConfig(int maxLiveRuns, int finishedRunGraceSeconds) {}
