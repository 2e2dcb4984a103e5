package io.lossprism.training;

import io.lossprism.config.CheckpointConfig;
import java.util.function.LongSupplier;

/**
 * When a run saves its weights: after {@code everyIterations} iterations or {@code everyMinutes} minutes
 * since the last save, whichever comes first; at pause, stop and shutdown whatever the interval; never
 * twice at one iteration.
 */
final class CheckpointPolicy {

    private final long everyIterations;
    private final long everyMillis;
    private final LongSupplier clock;
    private long lastIteration;
    private long lastMillis;

    /** @param clock milliseconds, e.g. {@code System::currentTimeMillis}; the interval starts now */
    CheckpointPolicy(CheckpointConfig config, LongSupplier clock) {
        this.everyIterations = config.everyIterations();
        this.everyMillis = config.everyMillis();
        this.clock = clock;
        this.lastMillis = clock.getAsLong();
    }

    /** Whether the interval since the last checkpoint has passed at {@code iteration}. */
    boolean due(long iteration) {
        return iteration - lastIteration >= everyIterations || clock.getAsLong() - lastMillis >= everyMillis;
    }

    /** Whether the checkpoint at {@code iteration} exists already: saving again would change nothing. */
    boolean savedAt(long iteration) {
        return iteration == lastIteration;
    }

    /** A checkpoint was written at {@code iteration}: the interval starts again. */
    void saved(long iteration) {
        lastIteration = iteration;
        lastMillis = clock.getAsLong();
    }

    /** Training went back to the checkpoint at {@code iteration} (0: the start); the clock runs on. */
    void restoredTo(long iteration) {
        lastIteration = iteration;
    }

    /** The iteration of the last checkpoint written or restored; 0 before any. */
    long lastIteration() {
        return lastIteration;
    }
}
