package io.lossprism.alert;

import io.lossprism.alert.rules.AlertEngine;
import io.lossprism.alert.rules.Transition;
import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.RunEvent;
import io.lossprism.config.AlertsConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every batch report after the warm-up, publishes each alert transition with the report it
 * came from, keeps the active alerts and the latest transitions and publishes them after each change (for
 * {@code /api/alerts} and new dashboard clients), and notifies webhooks when an alert fires or resolves.
 */
public final class AlertVerticle extends VerticleBase {

    /** Alert transitions kept for {@code /api/alerts}. */
    static final int HISTORY = 200;

    private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);

    private final AlertsConfig config;
    private final List<String> classes;
    private final AlertLog log = new AlertLog(HISTORY);
    private final String externalUrl;
    private final Map<String, Long> firingSince = new HashMap<>();
    private AlertEngine engine;
    private WebhookNotifier webhooks;

    public AlertVerticle(AlertsConfig config, List<String> classes, String externalUrl) {
        this.config = config;
        this.classes = List.copyOf(classes);
        this.externalUrl = externalUrl;
    }

    @Override
    public Future<?> start() {
        engine = new AlertEngine(config.rules(), config.smoothing(), classes);
        webhooks = new WebhookNotifier(vertx, config.webhooks(), config.webhookTimeoutMs(), config.webhookRetries());
        vertx.eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> evaluate(m.body()));
        vertx.eventBus().<RunEvent>localConsumer(Addresses.RUN_EVENT, m -> reset());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        webhooks.close();
        return Future.succeededFuture();
    }

    /** Rules start over with a new run or after a rewind: their smoothed state belonged to the old history. */
    private void reset() {
        engine = new AlertEngine(config.rules(), config.smoothing(), classes);
        firingSince.clear();
        log.reset();
        vertx.eventBus().publish(Addresses.ALERTS, log.snapshot());
    }

    private void evaluate(BatchReport report) {
        if (report.iteration() <= config.warmupIterations()) {
            return;
        }
        List<Transition> transitions = engine.evaluate(Observations.of(report));
        if (transitions.isEmpty()) {
            return;
        }
        List<AlertEvent> events = new ArrayList<>(transitions.size());
        for (Transition t : transitions) {
            events.add(new AlertEvent(
                    AlertEvent.VERSION,
                    t.alertName(),
                    t.className(),
                    t.severity(),
                    t.split(),
                    label(t.from()),
                    label(t.to()),
                    t.iteration(),
                    report.timestamp(),
                    t.value(),
                    t.threshold(),
                    t.evidence(),
                    t.summary(),
                    report));
        }
        log.record(events, engine.active());
        // the snapshot first: a client that connects in between sees a transition twice, never not at all
        vertx.eventBus().publish(Addresses.ALERTS, log.snapshot());
        for (AlertEvent event : events) {
            vertx.eventBus().publish(Addresses.ALERT_EVENT, event);
            announce(event);
        }
    }

    private void announce(AlertEvent event) {
        String key = event.alertName() + "/" + event.className() + "/" + event.split();
        switch (event.to()) {
            case "firing" -> {
                firingSince.put(key, event.timestamp());
                LOG.warn(
                        "alert firing: {} class={} split={} iteration={} - {}",
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
                        "alert resolved: {} class={} split={} iteration={}",
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

    private static String label(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
