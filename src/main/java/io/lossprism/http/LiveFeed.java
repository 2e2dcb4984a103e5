package io.lossprism.http;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.TrainingStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket feed of docs/protocol.md: on connect hello, history per split, alerts and the latest
 * samples; then live messages, each serialised once for all clients and handed to each client's
 * bounded {@link ClientChannel}. Batch reports go into the {@link ReportHistory} first, so a client
 * that falls behind is sent the gap from there. A client that asks for the whole history gets the
 * {@link OpeningHistory} snapshot that every client connecting about then shares, and the few reports
 * after it.
 *
 * <p>Single-threaded: every method runs on the HTTP verticle's event loop, which also runs the sockets.
 */
final class LiveFeed {

    /** Reports in one history message at most; larger ranges are downsampled. */
    static final int HISTORY_POINTS = 2000;
    /** Clients whose opening may be in their sockets' write queues at once; the rest wait their turn. */
    static final int MAX_OPENINGS = 4;
    /** Bytes a socket may have waiting before the client counts as slow; a few seconds of live reports. */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;
    /** The splits a history is sent for on connect, each with the query parameter that resumes it. */
    static final List<Split> SPLITS =
            List.of(new Split("train", "trainAfter"), new Split("validation", "validationAfter"));

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

    /** Clients that were sent their opening and get live messages. */
    private final Map<ServerWebSocket, ClientChannel> clients = new LinkedHashMap<>();
    /** Clients connected but not let in yet, in order of arrival. */
    private final Map<ServerWebSocket, Waiting> waiting = new LinkedHashMap<>();
    /** Clients let in whose opening is still in their socket's write queue. */
    private final Set<ClientChannel> opening = new HashSet<>();

    private final ReportHistory history;
    private final OpeningHistory openings;
    private final Supplier<JsonObject> hello;
    private final Supplier<JsonObject> alerts;
    private final ControlHandler controls;
    private final int writeQueueBytes;
    private String latestSamples;
    /** Runs the admission timer: the event loop's Vert.x, known from the first connect. */
    private Vertx timers;

    private boolean admissionScheduled;

    /**
     * @param hello    the {@code hello} message, made at each connect
     * @param alerts   {@code active} and {@code history} as GET /api/alerts gives them
     * @param controls carries out control messages
     */
    LiveFeed(ReportHistory history, Supplier<JsonObject> hello, Supplier<JsonObject> alerts, ControlHandler controls) {
        this(history, hello, alerts, controls, WRITE_QUEUE_BYTES);
    }

    LiveFeed(
            ReportHistory history,
            Supplier<JsonObject> hello,
            Supplier<JsonObject> alerts,
            ControlHandler controls,
            int writeQueueBytes) {
        this.history = history;
        this.openings = new OpeningHistory(history, HISTORY_POINTS);
        this.hello = hello;
        this.alerts = alerts;
        this.controls = controls;
        this.writeQueueBytes = writeQueueBytes;
    }

    /**
     * Sets the WebSocket options the feed relies on. Compression is off: deflating a megabyte-sized
     * history for each client is what made a crowd of dashboards stall the server, and with it off
     * every client's opening is the same shared bytes. The frame limit bounds what the server buffers
     * of one incoming frame; larger ones close with 1009. It is also the size the server cuts its own
     * large messages into (samples, gap histories).
     */
    static HttpServerOptions configure(HttpServerOptions options) {
        return options.setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setMaxWebSocketFrameSize(SharedText.FRAME_BYTES)
                .setMaxWebSocketMessageSize(ControlRequests.MAX_MESSAGE_BYTES)
                .setWebSocketClosingTimeout(ControlRequests.CLOSING_TIMEOUT_SECONDS);
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
                .onSuccess(socket -> connect(socket, request.connection(), after))
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

    /** Listens to the client at once; its opening sequence, and live messages after it, when it is let in. */
    private void connect(ServerWebSocket socket, HttpConnection connection, Map<String, Long> after) {
        if (timers == null) {
            timers = Vertx.currentContext().owner();
        }
        socket.setWriteQueueMaxSize(writeQueueBytes);
        ClientChannel channel = new ClientChannel(socket, history, HISTORY_POINTS, this::scheduleAdmission);
        socket.closeHandler(v -> {
            clients.remove(socket);
            waiting.remove(socket);
            opening.remove(channel);
            scheduleAdmission();
        });
        ControlRequests requests = new ControlRequests(
                socket,
                channel,
                controls,
                new TokenBucket(ControlRequests.BURST, ControlRequests.PER_SECOND, System::nanoTime));
        requests.listen();
        CorruptFrameGuard.install(connection, requests::onCorruptFrame);
        waiting.put(socket, new Waiting(channel, after));
        scheduleAdmission();
    }

    /**
     * Lets the next waiting client in on a timer, not now: the event loop first serves whatever else is
     * ready (other requests, other upgrades), so a crowd never holds it for more than one opening at a
     * time.
     */
    private void scheduleAdmission() {
        if (!admissionScheduled && !waiting.isEmpty() && timers != null) {
            admissionScheduled = true;
            timers.setTimer(1, id -> admitNext());
        }
    }

    /**
     * Sends the first waiting client its opening sequence, unless {@value #MAX_OPENINGS} admitted clients
     * still have theirs in the socket's write queue; then the next one's turn comes when one drains or
     * closes.
     */
    private void admitNext() {
        admissionScheduled = false;
        opening.removeIf(channel -> !channel.sending());
        var next = waiting.entrySet().iterator();
        if (opening.size() < MAX_OPENINGS && next.hasNext()) {
            Map.Entry<ServerWebSocket, Waiting> entry = next.next();
            next.remove();
            ClientChannel channel = entry.getValue().channel();
            clients.put(entry.getKey(), channel);
            sendOpening(channel, hello.get().encode(), entry.getValue().after(), FeedMessages.alerts(alerts.get()));
            if (latestSamples != null) {
                channel.open(latestSamples);
            }
            if (channel.sending()) {
                opening.add(channel);
            }
        }
        if (opening.size() < MAX_OPENINGS) {
            scheduleAdmission();
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
     * whole opening sequence again, let in as new clients are. A client holding points past the new end
     * replaces them as they come.
     *
     * @param newRun true also forgets the samples, which belonged to the old run
     */
    void restart(boolean newRun) {
        if (newRun) {
            latestSamples = null;
        }
        waiting.replaceAll((socket, w) -> new Waiting(w.channel(), Map.of()));
        clients.forEach((socket, channel) -> waiting.put(socket, new Waiting(channel, Map.of())));
        clients.clear();
        scheduleAdmission();
    }

    /**
     * hello, the history of each split after the client's resume points (none: the shared snapshot from
     * the start, and what came after it), the alerts.
     */
    private void sendOpening(ClientChannel channel, String helloText, Map<String, Long> after, String alertsText) {
        channel.open(helloText);
        for (Split split : SPLITS) {
            long resume = after.getOrDefault(split.name(), 0L);
            if (resume == 0) {
                channel.openHistory(split.name(), openings.of(split.name()));
            } else {
                channel.openHistory(split.name(), resume);
            }
        }
        channel.open(alertsText);
    }

    /** Snapshots of the opening history built so far: one per split and change, not one per client. */
    long openingBuilds() {
        return openings.builds();
    }

    /** Connected clients, let in or waiting. */
    int clients() {
        return clients.size() + waiting.size();
    }

    /**
     * The channels of clients that have been let in, a copy: writing may close a socket, and its close
     * handler removes it from the live map.
     */
    List<ClientChannel> channels() {
        return new ArrayList<>(clients.values());
    }

    record Split(String name, String resumeParameter) {}

    /** A connected client waiting to be let in, with the resume points it asked for. */
    private record Waiting(ClientChannel channel, Map<String, Long> after) {}
}
