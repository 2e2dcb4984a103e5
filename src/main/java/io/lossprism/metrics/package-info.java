/**
 * Micrometer meters for Prometheus, one set of series per run (label {@code run}), two {@link io.micrometer.core.instrument.binder.MeterBinder}s that
 * {@link io.lossprism.metrics.MetricsVerticle} binds and feeds from the event bus:
 * <ul>
 *   <li>{@link io.lossprism.metrics.LossMetrics}: per split the loss and the framework's score; per class and
 *       split the class's term, its positive part, IoU, Dice and prevalence of the latest
 *       {@link io.lossprism.bus.BatchReport}, and the EMA-smoothed inputs of the alert rules; training progress.
 *       Per-class meters are {@link io.micrometer.core.instrument.MultiGauge}s whose rows follow the classes and
 *       splits reported.</li>
 *   <li>{@link io.lossprism.metrics.AlertMetrics}: 1 while an alert of the app's own rules fires, per alert and
 *       class.</li>
 * </ul>
 * A run's series are removed a grace period after it ends ({@code FinishedRuns}), so the series stay bounded.
 * The names and labels are a contract: {@code deploy/prometheus/alerts.yml} and the Grafana dashboard query them,
 * and a golden test of the scrape text guards them.
 */
package io.lossprism.metrics;
