package io.lossprism.alert;

import io.lossprism.bus.AlertEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * An alert transition in the JSON that Alertmanager POSTs to webhook receivers (version 4), so any
 * receiver written for Alertmanager accepts LossPrism's notifications unchanged.
 */
final class AlertmanagerPayload {

    /** Alertmanager's "not ended yet". */
    private static final String NOT_ENDED = "0001-01-01T00:00:00Z";

    static final String RUNBOOK = "https://github.com/lossprism/lossprism/blob/main/docs/runbook.md#";

    private AlertmanagerPayload() {}

    static JsonObject of(AlertEvent event, long startedAt, String externalUrl) {
        boolean resolved = "resolved".equals(event.to());
        String status = resolved ? "resolved" : "firing";
        JsonObject labels = labels(event);
        JsonObject annotations = new JsonObject()
                .put("summary", event.summary())
                .put("description", description(event))
                .put("runbook_url", RUNBOOK + event.alertName().toLowerCase());
        JsonObject alert = new JsonObject()
                .put("status", status)
                .put("labels", labels)
                .put("annotations", annotations)
                .put("startsAt", Instant.ofEpochMilli(startedAt).toString())
                .put(
                        "endsAt",
                        resolved ? Instant.ofEpochMilli(event.timestamp()).toString() : NOT_ENDED)
                .put("generatorURL", externalUrl + "api/alerts?run=" + event.runId())
                .put("fingerprint", Long.toHexString(labels.encode().hashCode() & 0xffffffffL));
        return new JsonObject()
                .put("version", "4")
                .put("groupKey", "{}:{alertname=\"" + event.alertName() + "\"}")
                .put("truncatedAlerts", 0)
                .put("status", status)
                .put("receiver", "lossprism")
                .put("groupLabels", new JsonObject().put("alertname", event.alertName()))
                .put("commonLabels", labels)
                .put("commonAnnotations", annotations)
                .put("externalURL", externalUrl)
                .put("alerts", new JsonArray().add(alert));
    }

    private static JsonObject labels(AlertEvent event) {
        JsonObject labels = new JsonObject()
                .put("alertname", event.alertName())
                .put("run", event.runId())
                .put("severity", event.severity())
                .put("split", event.split());
        if (event.className() != null) {
            labels.put("class", event.className());
        }
        return labels;
    }

    private static String description(AlertEvent event) {
        StringBuilder text = new StringBuilder(event.summary())
                .append(" Evidence at iteration ")
                .append(event.iteration())
                .append(':');
        for (Map.Entry<String, Double> e : event.evidence().entrySet()) {
            text.append(' ').append(e.getKey()).append('=').append(String.format("%.4g", e.getValue()));
        }
        return text.toString();
    }
}
