package io.lossprism.config;

/**
 * How often the monitor logs a progress line and evaluates the validation split, in training
 * iterations; {@code validationEveryIterations} 0 never evaluates it.
 */
public record MonitorConfig(int logEveryIterations, int validationEveryIterations) {}
