package io.lossprism.alert;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.AlertSnapshot;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.RunEvent;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.AlertsConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every batch report after the warm-up with the rules of its run (each live run has its own state,
 * see {@link AlertRuns}), publishes each alert transition with the report it came from, publishes the run's
 * active alerts and latest transitions after each change (for {@code /api/alerts} and new dashboard clients),
 * and notifies webhooks when an alert fires or resolves. A run's state is dropped when the run ends (a status
 * in a final state, which comes after its last reports) and starts over when its history does (a run event).
 */
public final class AlertVerticle extends VerticleBase {

    /** Alert transitions kept per run for {@code /api/alerts}. */
    static final int HISTORY = 200;

    private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);

    private final AlertsConfig config;
    private final String externalUrl;
    /** When each firing alert began, by run, then by alert name, class and split. */
    private final Map<String, Map<String, Long>> firingSince = new HashMap<>();

    private AlertRuns runs;
    private WebhookNotifier webhooks;

    public AlertVerticle(AlertsConfig config, String externalUrl) {
        this.config = config;
        this.externalUrl = externalUrl;
    }

    @Override
    public Future<?> start() {
        runs = new AlertRuns(config, HISTORY);
        webhooks = new WebhookNotifier(vertx, config.webhooks(), config.webhookTimeoutMs(), config.webhookRetries());
        vertx.eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> evaluate(m.body()));
        vertx.eventBus()
                .<RunEvent>localConsumer(
                        Addresses.RUN_EVENT, m -> restart(m.body().runId()));
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> {
            if (!m.body().state().active()) {
                drop(m.body().runId());
            }
        });
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        webhooks.close();
        return Future.succeededFuture();
    }

    /** A run's history started over (new, resumed or rewound): its rules start over and nothing is active. */
    private void restart(String runId) {
        drop(runId);
        vertx.eventBus().publish(Addresses.ALERTS, AlertSnapshot.empty(runId));
    }

    /** The run ended: its state goes; its last snapshot, already published, stays what the API shows. */
    private void drop(String runId) {
        runs.drop(runId);
        firingSince.remove(runId);
    }

    private void evaluate(BatchReport report) {
        List<AlertEvent> events = runs.evaluate(report);
        if (events.isEmpty()) {
            return;
        }
        // the snapshot first: a client that connects in between sees a transition twice, never not at all
        vertx.eventBus().publish(Addresses.ALERTS, runs.snapshot(report.runId()));
        for (AlertEvent event : events) {
            vertx.eventBus().publish(Addresses.ALERT_EVENT, event);
            announce(event);
        }
    }

    private void announce(AlertEvent event) {
        String key = event.alertName() + "/" + event.className() + "/" + event.split();
        Map<String, Long> firingSince = this.firingSince.computeIfAbsent(event.runId(), r -> new HashMap<>());
        switch (event.to()) {
            case "firing" -> {
                firingSince.put(key, event.timestamp());
                LOG.warn(
                        "alert firing: run={} {} class={} split={} iteration={} - {}",
                        event.runId(),
                        event.alertName(),
                        event.className(),
                        event.split(),
                        event.iteration(),
                        event.summary());
                webhooks.notify(
                        event,
                        AlertmanagerPayload.of(event, event.timestamp(), externalUrl)
                                .toBuffer());
            }
            case "resolved" -> {
                long since = firingSince.getOrDefault(key, event.timestamp());
                firingSince.remove(key);
                LOG.info(
                        "alert resolved: run={} {} class={} split={} iteration={}",
                        event.runId(),
                        event.alertName(),
                        event.className(),
                        event.split(),
                        event.iteration());
                webhooks.notify(
                        event, AlertmanagerPayload.of(event, since, externalUrl).toBuffer());
            }
            default -> LOG.debug("alert {}: {} class={}", event.to(), event.alertName(), event.className());
        }
    }
}
