package io.lossprism.store;

/**
 * One training run as stored: its configuration (JSON text), its last known state, position and
 * message, when it was created and last updated (epoch milliseconds), and the name and notes a user gave
 * it (null when none).
 */
public record RunRecord(
        String id,
        String configJson,
        String state,
        long iteration,
        int epoch,
        String message,
        long createdAt,
        long updatedAt,
        String name,
        String notes) {

    /** A run without a name or notes. */
    public RunRecord(
            String id,
            String configJson,
            String state,
            long iteration,
            int epoch,
            String message,
            long createdAt,
            long updatedAt) {
        this(id, configJson, state, iteration, epoch, message, createdAt, updatedAt, null, null);
    }
}
