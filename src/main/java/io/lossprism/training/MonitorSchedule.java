package io.lossprism.training;

import io.lossprism.config.MonitorConfig;

/**
 * When the work beside training is due, by iteration: the validation pass every N iterations and at the
 * end; the probe samples every K iterations, once right after the verticle (re)starts so a new page has
 * pictures early, and at the end; the progress line every L iterations and at each epoch's end. An
 * interval of 0 turns validation or samples off.
 */
final class MonitorSchedule {

    private final MonitorConfig config;
    private boolean sampled;

    MonitorSchedule(MonitorConfig config) {
        this.config = config;
    }

    boolean validationDue(long iteration, boolean finished) {
        int every = config.validationEveryIterations();
        return every > 0 && (iteration % every == 0 || finished);
    }

    boolean samplesOn() {
        return config.samplesEveryIterations() > 0;
    }

    boolean samplesDue(long iteration, boolean finished) {
        return samplesOn() && (iteration % config.samplesEveryIterations() == 0 || !sampled || finished);
    }

    /** Samples were just sent. */
    void sampled() {
        sampled = true;
    }

    boolean progressDue(long iteration, int iterationsPerEpoch) {
        return iteration % config.logEveryIterations() == 0 || epochEnd(iteration, iterationsPerEpoch);
    }

    static boolean epochEnd(long iteration, int iterationsPerEpoch) {
        return iteration % iterationsPerEpoch == 0;
    }
}
