package io.lossprism.alert.rules;

/** Lifecycle of one alert instance, as in Prometheus plus a RESOLVED step that lasts one evaluation. */
public enum AlertState {
    INACTIVE,
    PENDING,
    FIRING,
    RESOLVED
}
