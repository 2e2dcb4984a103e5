package io.lossprism.http;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.TrainingStatus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Pushes batch reports and status changes to every connected browser. Each message is serialised
 * once; a client whose write queue is full skips messages instead of growing server memory.
 * Clients may not send anything but pings: incoming frames are capped by the server options.
 */
final class LiveFeed {

    private final Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
    private final Supplier<JsonObject> hello;

    LiveFeed(Supplier<JsonObject> hello) {
        this.hello = hello;
    }

    void connect(ServerWebSocket socket) {
        sockets.add(socket);
        socket.closeHandler(v -> sockets.remove(socket));
        socket.exceptionHandler(e -> sockets.remove(socket));
        socket.textMessageHandler(ignored -> { });
        socket.writeTextMessage(hello.get().encode());
    }

    void onBatch(BatchReport report) {
        broadcast(ReportJson.batch(report).encode());
    }

    void onAlert(AlertEvent event) {
        broadcast(ReportJson.alert(event).encode());
    }

    void onStatus(TrainingStatus status) {
        broadcast(ReportJson.status(status).put("type", "status").encode());
    }

    int clients() {
        return sockets.size();
    }

    private void broadcast(String text) {
        for (ServerWebSocket socket : sockets) {
            if (!socket.writeQueueFull()) {
                socket.writeTextMessage(text);
            }
        }
    }
}
