package io.lossprism.metrics;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.bus.RunEvent;
import io.lossprism.bus.TrainingStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Binds the LossPrism meters to the registry and keeps them current from the event bus: reports and status
 * for the loss and training meters, alert transitions for the alert gauge, which a run starting over clears.
 * A run that ends (a status in a final state) keeps its series for the grace period, then loses them; see
 * {@link FinishedRuns} for the bound.
 */
public final class MetricsVerticle extends VerticleBase {

    private final MeterRegistry registry;
    private final LossMetrics loss;
    private final AlertMetrics alerts;
    private final long graceMillis;
    private final int maxWaiting;
    private FinishedRuns finished;

    /**
     * @param graceSeconds seconds a finished run's series stay ({@code metrics.finishedRunGraceSeconds})
     * @param maxWaiting   finished runs waiting for removal at most; the oldest goes early past it
     *                     ({@code ingest.maxLiveRuns})
     */
    public MetricsVerticle(
            MeterRegistry registry, LossMetrics loss, AlertMetrics alerts, int graceSeconds, int maxWaiting) {
        this.registry = registry;
        this.loss = loss;
        this.alerts = alerts;
        this.graceMillis = graceSeconds * 1000L;
        this.maxWaiting = maxWaiting;
    }

    @Override
    public Future<?> start() {
        loss.bindTo(registry);
        alerts.bindTo(registry);
        finished = new FinishedRuns(vertx, graceMillis, maxWaiting, this::remove);
        vertx.eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> {
            BatchReport report = m.body();
            finished.live(report.runId());
            loss.onBatch(report);
            alerts.addRun(
                    report.runId(),
                    report.classes().stream().map(ClassReport::name).toList());
        });
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> {
            TrainingStatus status = m.body();
            loss.onStatus(status);
            if (status.state().active()) {
                finished.live(status.runId());
            } else {
                finished.ended(status.runId());
            }
        });
        vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> alerts.onAlert(m.body()));
        vertx.eventBus()
                .<RunEvent>localConsumer(
                        Addresses.RUN_EVENT, m -> alerts.reset(m.body().runId()));
        return Future.succeededFuture();
    }

    private void remove(String runId) {
        loss.removeRun(runId);
        alerts.removeRun(runId);
    }
}
