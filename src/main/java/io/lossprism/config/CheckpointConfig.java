package io.lossprism.config;

/**
 * How often the model and its updater state are saved: after {@code everyIterations} iterations or
 * {@code everyMinutes} minutes, whichever comes first, and at stop; the newest {@code keep} are kept.
 */
public record CheckpointConfig(int everyIterations, double everyMinutes, int keep) {

    public long everyMillis() {
        return Math.round(everyMinutes * 60_000);
    }
}
