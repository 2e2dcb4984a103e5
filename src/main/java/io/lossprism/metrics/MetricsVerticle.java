package io.lossprism.metrics;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.RunEvent;
import io.lossprism.bus.TrainingStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Binds the LossPrism meters to the registry and keeps them current from the event bus: reports and
 * status for the loss and training meters, alert transitions for the alert gauge, which a new run or a
 * rewind clears.
 */
public final class MetricsVerticle extends VerticleBase {

    private final MeterRegistry registry;
    private final LossMetrics loss;
    private final AlertMetrics alerts;

    public MetricsVerticle(MeterRegistry registry, LossMetrics loss, AlertMetrics alerts) {
        this.registry = registry;
        this.loss = loss;
        this.alerts = alerts;
    }

    @Override
    public Future<?> start() {
        loss.bindTo(registry);
        alerts.bindTo(registry);
        vertx.eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> loss.onBatch(m.body()));
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> loss.onStatus(m.body()));
        vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> alerts.onAlert(m.body()));
        vertx.eventBus().<RunEvent>localConsumer(Addresses.RUN_EVENT, m -> alerts.reset());
        return Future.succeededFuture();
    }
}
