/**
 * Per-class divergence alerts: the rules that notice a class the aggregate loss hides, the smoothing
 * they read through, and a Prometheus-like lifecycle (INACTIVE, PENDING, FIRING, RESOLVED) with a hold
 * ({@code forEvaluations}) and hysteresis so that a noisy series fires once, not on every batch.
 *
 * <p>Each rule has its own {@link io.lossprism.alert.rules.RuleSettings} (threshold, hysteresis, hold, split),
 * with each kind's defaults defined here. The {@link io.lossprism.alert.rules.Smoothing} is one for all rules and
 * is given to the engine; its default is the configuration schema's, not defined here.
 *
 * <p>Pure Java: nothing here imports Vert.x, Deeplearning4j or Micrometer. A caller feeds
 * {@link io.lossprism.alert.rules.AlertEngine#evaluate} one {@link io.lossprism.alert.rules.BatchObservation} per batch and
 * publishes the {@link io.lossprism.alert.rules.Transition}s it returns. The engine is not thread-safe: call it
 * from one thread (or one Vert.x context) at a time.
 *
 * <p>Any input double may be {@code NaN} or infinite. Smoothed series skip such values (a rare class
 * is often absent from a batch, so its IoU is undefined); only {@link io.lossprism.alert.rules.RuleKind#NON_FINITE_LOSS}
 * looks at them.
 */
package io.lossprism.alert.rules;
