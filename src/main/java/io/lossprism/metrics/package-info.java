/**
 * Micrometer meters for Prometheus: the loss, each class's term of it, IoU and prevalence per class
 * and split, and training progress. Meters read the latest {@link io.lossprism.bus.BatchReport};
 * {@link io.lossprism.metrics.MetricsVerticle} binds them and feeds them from the event bus.
 */
package io.lossprism.metrics;
