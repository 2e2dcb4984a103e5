package io.lossprism.bus;

import java.util.Locale;

/** Where training stands. Immutable. */
public record TrainingStatus(State state, int epoch, int epochs, long iteration, int iterationsPerEpoch,
                             double imagesPerSecond, String message) {

    public enum State {
        STARTING, TRAINING, FINISHED, FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static TrainingStatus starting(int epochs) {
        return new TrainingStatus(State.STARTING, 0, epochs, 0, 0, 0, "");
    }

    public TrainingStatus with(State newState, String newMessage) {
        return new TrainingStatus(newState, epoch, epochs, iteration, iterationsPerEpoch, imagesPerSecond, newMessage);
    }
}
