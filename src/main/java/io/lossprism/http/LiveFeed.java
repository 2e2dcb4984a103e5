package io.lossprism.http;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.TrainingStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket feed of docs/protocol.md: on connect hello, history per split, alerts and the latest
 * samples; then live messages, each serialised once for all clients and handed to each client's
 * bounded {@link ClientChannel}. Batch reports go into the {@link ReportHistory} first, so a client
 * that falls behind is sent the gap from there.
 *
 * <p>Single-threaded: every method runs on the HTTP verticle's event loop, which also runs the sockets.
 */
final class LiveFeed {

    /** Reports in one history message at most; larger ranges are downsampled. */
    static final int HISTORY_POINTS = 2000;
    /** Bytes a socket may have waiting before the client counts as slow; a few seconds of live reports. */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;
    /** The splits a history is sent for on connect, each with the query parameter that resumes it. */
    static final List<Split> SPLITS = List.of(new Split("train", "trainAfter"),
            new Split("validation", "validationAfter"));

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    private final Map<ServerWebSocket, ClientChannel> clients = new LinkedHashMap<>();
    private final ReportHistory history;
    private final Supplier<JsonObject> hello;
    private final Supplier<JsonObject> alerts;
    private final ControlHandler controls;
    private final int writeQueueBytes;
    private String latestSamples;

    /**
     * @param hello    the {@code hello} message, made at each connect
     * @param alerts   {@code active} and {@code history} as GET /api/alerts gives them
     * @param controls carries out control messages
     */
    LiveFeed(ReportHistory history, Supplier<JsonObject> hello, Supplier<JsonObject> alerts, ControlHandler controls) {
        this(history, hello, alerts, controls, WRITE_QUEUE_BYTES);
    }

    LiveFeed(ReportHistory history, Supplier<JsonObject> hello, Supplier<JsonObject> alerts, ControlHandler controls,
             int writeQueueBytes) {
        this.history = history;
        this.hello = hello;
        this.alerts = alerts;
        this.controls = controls;
        this.writeQueueBytes = writeQueueBytes;
    }

    /**
     * Upgrades a request for the feed to a WebSocket and connects it; a bad resume parameter is
     * answered with 400 before the upgrade.
     */
    void accept(HttpServerRequest request) {
        Map<String, Long> after;
        try {
            after = resumePoints(request.params());
        } catch (IllegalArgumentException e) {
            request.response().setStatusCode(400).end(e.getMessage());
            return;
        }
        request.toWebSocket()
                .onSuccess(socket -> connect(socket, after))
                .onFailure(e -> {
                    if (!request.response().ended()) {
                        request.response().setStatusCode(400).end();
                    }
                });
    }

    /**
     * Reads {@code trainAfter} and {@code validationAfter}: per split, the last iteration the client
     * holds; absent means none (0, iterations start at 1).
     *
     * @throws IllegalArgumentException when one is not a non-negative integer
     */
    private static Map<String, Long> resumePoints(MultiMap params) {
        Map<String, Long> after = new HashMap<>();
        for (Split split : SPLITS) {
            String value = params.get(split.resumeParameter());
            if (value != null) {
                after.put(split.name(), nonNegative(split.resumeParameter(), value));
            }
        }
        return after;
    }

    private static long nonNegative(String param, String value) {
        try {
            long iteration = Long.parseLong(value.trim());
            if (iteration >= 0) {
                return iteration;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(param + " must be a non-negative integer, got '" + value + "'");
    }

    /** Sends the opening sequence and follows the client from then on. */
    private void connect(ServerWebSocket socket, Map<String, Long> after) {
        socket.setWriteQueueMaxSize(writeQueueBytes);
        ClientChannel channel = new ClientChannel(socket, history, HISTORY_POINTS);
        clients.put(socket, channel);
        socket.closeHandler(v -> clients.remove(socket));
        new ControlRequests(socket, channel, controls,
                new TokenBucket(ControlRequests.BURST, ControlRequests.PER_SECOND, System::nanoTime)).listen();

        sendOpening(channel, hello.get().encode(), after, FeedMessages.alerts(alerts.get()));
        if (latestSamples != null) {
            channel.open(latestSamples);
        }
    }

    void onBatch(BatchReport report) {
        String json = ReportJson.batch(report).encode();
        history.add(report, json);
        for (ClientChannel channel : channels()) {
            channel.batch(report.split(), report.iteration(), json);
        }
    }

    void onAlert(AlertEvent event) {
        String json = ReportJson.alert(event).encode();
        for (ClientChannel channel : channels()) {
            channel.alert(json);
        }
    }

    void onStatus(TrainingStatus status) {
        String json = ReportJson.status(status).put("type", "status").encode();
        for (ClientChannel channel : channels()) {
            channel.status(json);
        }
    }

    /** A {@code samples} message (its {@code type} is set here); kept for clients that connect later. */
    void onSamples(JsonObject samples) {
        latestSamples = samples.copy().put("type", "samples").encode();
        for (ClientChannel channel : channels()) {
            channel.samples(latestSamples);
        }
    }

    /**
     * The history changed under the clients (a new run, or a rewind to a checkpoint): each gets the
     * opening sequence again. A client holding points past the new end replaces them as they come.
     *
     * @param newRun true also forgets the samples, which belonged to the old run
     */
    void restart(boolean newRun) {
        if (newRun) {
            latestSamples = null;
        }
        String helloText = hello.get().encode();
        String alertsText = FeedMessages.alerts(alerts.get());
        for (ClientChannel channel : channels()) {
            sendOpening(channel, helloText, Map.of(), alertsText);
        }
    }

    /** hello, one history per split after the client's resume points (none: from the start), the alerts. */
    private static void sendOpening(ClientChannel channel, String helloText, Map<String, Long> after,
                                    String alertsText) {
        channel.open(helloText);
        for (Split split : SPLITS) {
            channel.openHistory(split.name(), after.getOrDefault(split.name(), 0L));
        }
        channel.open(alertsText);
    }

    int clients() {
        return clients.size();
    }

    /**
     * The channels of connected clients, a copy: writing may close a socket, and its close handler
     * removes it from the live map.
     */
    List<ClientChannel> channels() {
        return new ArrayList<>(clients.values());
    }

    record Split(String name, String resumeParameter) {
    }
}
