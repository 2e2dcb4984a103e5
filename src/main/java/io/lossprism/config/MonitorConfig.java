package io.lossprism.config;

/** How often the per-class loss monitor reports, in training iterations. */
public record MonitorConfig(int logEveryIterations) {}
