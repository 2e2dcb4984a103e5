package io.lossprism.store;

/**
 * One training run as stored: its configuration (JSON text), its last known state, position and
 * message, and when it was created and last updated (epoch milliseconds).
 */
public record RunRecord(
        String id,
        String configJson,
        String state,
        long iteration,
        int epoch,
        String message,
        long createdAt,
        long updatedAt) {}
