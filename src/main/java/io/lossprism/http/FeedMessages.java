package io.lossprism.http;

import io.vertx.core.json.JsonObject;

/** The feed's own message texts, as docs/protocol.md defines them. */
final class FeedMessages {

    private FeedMessages() {}

    /** A {@code history} message, in the columnar form ({@link HistoryColumns}). */
    static String history(HistorySlice slice) {
        return HistoryColumns.encode(slice);
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
