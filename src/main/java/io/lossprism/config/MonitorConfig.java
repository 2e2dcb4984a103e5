package io.lossprism.config;

/**
 * How often the monitor logs a progress line, evaluates the validation split and sends sample
 * predictions of {@code probeImages} fixed images, in training iterations; 0 never evaluates or samples.
 */
public record MonitorConfig(
        int logEveryIterations, int validationEveryIterations, int samplesEveryIterations, int probeImages) {}
