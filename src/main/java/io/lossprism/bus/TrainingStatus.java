package io.lossprism.bus;

import java.util.Locale;

/**
 * Where training of one run stands. Immutable; {@code runId} is empty before a run exists;
 * {@code skippedFiles} counts dataset files left out as unreadable or inconsistent.
 */
public record TrainingStatus(
        String runId,
        State state,
        int epoch,
        int epochs,
        long iteration,
        int iterationsPerEpoch,
        double imagesPerSecond,
        String message,
        int skippedFiles) {

    public enum State {
        STARTING,
        TRAINING,
        PAUSED,
        STOPPED,
        FINISHED,
        FAILED,
        /** Its history goes further than any checkpoint that can be read: kept as it is, not trained on. */
        UNRESUMABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** True while a run holds the trainer: it can be paused, resumed or stopped. */
        public boolean active() {
            return this == STARTING || this == TRAINING || this == PAUSED;
        }

        public static State of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    public static TrainingStatus starting(String runId, int epochs) {
        return new TrainingStatus(runId, State.STARTING, 0, epochs, 0, 0, 0, "", 0);
    }

    /** This status at another point of training, same state and message. */
    public TrainingStatus at(
            int newEpoch,
            long newIteration,
            int newIterationsPerEpoch,
            double newImagesPerSecond,
            int newSkippedFiles) {
        return new TrainingStatus(
                runId,
                state,
                newEpoch,
                epochs,
                newIteration,
                newIterationsPerEpoch,
                newImagesPerSecond,
                message,
                newSkippedFiles);
    }

    public TrainingStatus with(State newState, String newMessage) {
        return new TrainingStatus(
                runId,
                newState,
                epoch,
                epochs,
                iteration,
                iterationsPerEpoch,
                imagesPerSecond,
                newMessage,
                skippedFiles);
    }
}
