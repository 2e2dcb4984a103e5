package io.lossprism.bus;

/**
 * A run began or its history changed under the readers' feet: {@code iteration} is where its
 * history now ends (0 for a new run, the checkpoint's iteration after a resume or rewind).
 */
public record RunEvent(String runId, long iteration, String reason) {}
