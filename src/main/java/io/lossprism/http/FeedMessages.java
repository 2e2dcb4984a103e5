package io.lossprism.http;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** The feed's own message texts, as docs/protocol.md defines them. */
final class FeedMessages {

    private FeedMessages() {}

    /**
     * A {@code history} message. The reports are already encoded batch JSON, so they are spliced in
     * rather than parsed and encoded again: a full history is thousands of them.
     */
    static String history(HistorySlice slice) {
        StringBuilder text = new StringBuilder(256
                + slice.reports().stream().mapToInt(String::length).sum()
                + slice.reports().size());
        text.append("{\"type\":\"history\",\"split\":")
                .append(Json.encode(slice.split()))
                .append(",\"after\":")
                .append(slice.after())
                .append(",\"total\":")
                .append(slice.total())
                .append(",\"downsampled\":")
                .append(slice.downsampled())
                .append(",\"reports\":[");
        for (int i = 0; i < slice.reports().size(); i++) {
            text.append(i == 0 ? "" : ",").append(slice.reports().get(i));
        }
        return text.append("]}").toString();
    }

    /** The {@code alerts} message: {@code active} and {@code history} as GET /api/alerts gives them. */
    static String alerts(JsonObject alerts) {
        return new JsonObject().put("type", "alerts").mergeIn(alerts).encode();
    }

    /** A {@code control-result}: ok, and the error when not ok. */
    static String controlResult(String requestId, String action, boolean ok, String error) {
        JsonObject json = new JsonObject()
                .put("type", "control-result")
                .put("requestId", requestId)
                .put("action", action)
                .put("ok", ok);
        if (!ok) {
            json.put("error", error == null ? "failed" : error);
        }
        return json.encode();
    }
}
