package io.lossprism.training;

/**
 * Training speed in images per second, smoothed over steps: the newest step weighs {@value #SMOOTHING},
 * so one slow step (a checkpoint, a busy machine) moves the figure without taking it over.
 */
final class Throughput {

    static final double SMOOTHING = 0.2;

    private double imagesPerSecond;

    /** Adds a step of {@code images} that took {@code nanos}; returns the smoothed speed. */
    double add(int images, long nanos) {
        double speed = images / (nanos / 1e9);
        imagesPerSecond = imagesPerSecond == 0 ? speed : SMOOTHING * speed + (1 - SMOOTHING) * imagesPerSecond;
        return imagesPerSecond;
    }

    /** The smoothed speed; 0 before the first step. */
    double imagesPerSecond() {
        return imagesPerSecond;
    }
}
