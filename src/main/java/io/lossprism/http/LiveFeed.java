package io.lossprism.http;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.TrainingStatus;
import io.vertx.core.Future;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket feed of docs/protocol.md: on connect hello, history per split, alerts and the latest
 * samples; then live messages, each serialised once for all clients and handed to each client's
 * bounded {@link ClientChannel}. Each client follows one run ({@code /ws?run=<id>}; without it the
 * {@link LiveFeedRuns#defaultRun}, and the next one when another becomes the default): it gets that run's
 * messages only, and each run has its own history, opening snapshots and latest samples. Batch reports go into the {@link ReportHistory} first, so a client
 * that falls behind is sent the gap from there. A client that asks for the whole history gets the
 * {@link OpeningHistory} snapshot that every client connecting about then shares, and the few reports
 * after it.
 *
 * <p>Single-threaded: every method runs on the HTTP verticle's event loop, which also runs the sockets.
 */
final class LiveFeed {

    /** The feed protocol's version, in hello; 2: history messages are columnar. */
    static final int PROTOCOL_VERSION = 2;
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

    /** The run each connected client follows, let in or waiting. */
    private final Map<ServerWebSocket, Following> following = new HashMap<>();
    /** Per run: its history, opening snapshots and latest samples. */
    private final Map<String, RunFeed> runs = new HashMap<>();

    private final LiveFeedRuns runInfo;
    private final ControlHandler controls;
    private final int writeQueueBytes;
    /** Opening snapshots built so far, of every run; runs dropped included. */
    private long openingBuilds;
    /** Runs the admission timer: the event loop's Vert.x, known from the first connect. */
    private Vertx timers;

    private boolean admissionScheduled;

    /** @param controls carries out control messages */
    LiveFeed(LiveFeedRuns runs, ControlHandler controls) {
        this(runs, controls, WRITE_QUEUE_BYTES);
    }

    LiveFeed(LiveFeedRuns runs, ControlHandler controls, int writeQueueBytes) {
        this.runInfo = runs;
        this.controls = controls;
        this.writeQueueBytes = writeQueueBytes;
    }

    /**
     * A run's history, held from now on (new and empty when it was not); callers fill it and then
     * {@link #restart} the run.
     */
    ReportHistory history(String runId) {
        return feed(runId).history;
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
        String run = request.getParam("run");
        Following follows = run == null || run.isBlank()
                ? new Following(runInfo.defaultRun(), true)
                : new Following(run.trim(), false);
        request.toWebSocket()
                .onSuccess(socket -> connect(socket, request.connection(), after, follows))
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
    private void connect(
            ServerWebSocket socket, HttpConnection connection, Map<String, Long> after, Following follows) {
        if (timers == null) {
            timers = Vertx.currentContext().owner();
        }
        socket.setWriteQueueMaxSize(writeQueueBytes);
        boolean held = runs.containsKey(follows.runId());
        ClientChannel channel =
                new ClientChannel(socket, feed(follows.runId()).history, HISTORY_POINTS, this::scheduleAdmission);
        following.put(socket, follows);
        socket.closeHandler(v -> {
            clients.remove(socket);
            waiting.remove(socket);
            opening.remove(channel);
            Following gone = following.remove(socket);
            if (gone != null) {
                dropIfUnwatched(gone.runId());
            }
            scheduleAdmission();
        });
        ControlRequests requests = new ControlRequests(
                socket,
                channel,
                (action, token) -> controlOf(socket, action, token),
                new TokenBucket(ControlRequests.BURST, ControlRequests.PER_SECOND, System::nanoTime));
        requests.listen();
        CorruptFrameGuard.install(connection, requests::onCorruptFrame);
        waiting.put(socket, new Waiting(channel, after));
        scheduleAdmission();
        if (!held && !follows.runId().isEmpty()) {
            runInfo.load(follows.runId()); // a run not held: its stored history, then the opening again
        }
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
            String runId = following.get(entry.getKey()).runId();
            RunFeed run = feed(runId);
            sendOpening(
                    channel,
                    run,
                    runInfo.hello(runId).encode(),
                    entry.getValue().after(),
                    FeedMessages.alerts(runInfo.alerts(runId)));
            if (run.latestSamples != null) {
                channel.open(run.latestSamples);
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
        JsonObject batch = ReportJson.batch(report);
        String json = batch.encode();
        feed(report.runId()).history.add(report, batch, json);
        for (ClientChannel channel : channels(report.runId())) {
            channel.batch(report.split(), report.iteration(), json);
        }
    }

    void onAlert(AlertEvent event) {
        String json = ReportJson.alert(event).encode();
        for (ClientChannel channel : channels(event.runId())) {
            channel.alert(json);
        }
    }

    void onStatus(TrainingStatus status) {
        String json = ReportJson.status(status).put("type", "status").encode();
        for (ClientChannel channel : channels(status.runId())) {
            channel.status(json);
        }
        if (!status.state().active()) {
            dropIfUnwatched(status.runId());
        }
    }

    /**
     * A {@code samples} message of a run (its {@code type} is set here); kept for clients that connect
     * later.
     */
    void onSamples(String runId, JsonObject samples) {
        RunFeed run = feed(runId);
        run.latestSamples = samples.copy().put("type", "samples").encode();
        for (ClientChannel channel : channels(runId)) {
            channel.samples(run.latestSamples);
        }
    }

    /**
     * A run's history changed under its clients (it started, or went back to a checkpoint): each gets the
     * whole opening sequence again, let in as new clients are. A client holding points past the new end
     * replaces them as they come. Clients that follow the default run and are not on it now move to it.
     *
     * @param newRun true also forgets the run's samples, which belonged to its old history
     */
    void restart(String runId, boolean newRun) {
        RunFeed restarted = feed(runId);
        if (newRun) {
            restarted.latestSamples = null;
        }
        String defaultRun = runInfo.defaultRun();
        Set<String> left = new HashSet<>();
        for (Map.Entry<ServerWebSocket, Following> entry : following.entrySet()) {
            Following f = entry.getValue();
            boolean moves = f.byDefault() && !f.runId().equals(defaultRun);
            if (!moves && !f.runId().equals(runId)) {
                continue;
            }
            ClientChannel channel = clients.remove(entry.getKey());
            if (channel == null) {
                channel = waiting.get(entry.getKey()).channel();
            }
            if (moves) {
                left.add(f.runId());
                entry.setValue(new Following(defaultRun, true));
                channel.follow(feed(defaultRun).history);
            }
            waiting.put(entry.getKey(), new Waiting(channel, Map.of()));
        }
        left.forEach(this::dropIfUnwatched);
        scheduleAdmission();
    }

    /**
     * hello, the history of each split after the client's resume points (none: the shared snapshot from
     * the start, and what came after it), the alerts.
     */
    private void sendOpening(
            ClientChannel channel, RunFeed run, String helloText, Map<String, Long> after, String alertsText) {
        channel.open(helloText);
        for (Split split : SPLITS) {
            long resume = after.getOrDefault(split.name(), 0L);
            if (resume == 0) {
                channel.openHistory(split.name(), run.openings.of(split.name()));
            } else {
                channel.openHistory(split.name(), resume);
            }
        }
        channel.open(alertsText);
    }

    /** Snapshots of the opening history built so far: one per split and change, not one per client. */
    long openingBuilds() {
        return openingBuilds
                + runs.values().stream().mapToLong(r -> r.openings.builds()).sum();
    }

    /** The runs whose history the feed holds now. */
    Set<String> heldRuns() {
        return Set.copyOf(runs.keySet());
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

    /**
     * A control of the client's run: only the DL4J run the server trains takes them; an external run is
     * controlled by its own framework.
     */
    private Future<JsonObject> controlOf(ServerWebSocket socket, String action, String token) {
        Following f = following.get(socket);
        if (f != null && !runInfo.controllable(f.runId())) {
            return Future.succeededFuture(new JsonObject()
                    .put("ok", false)
                    .put("error", "run " + f.runId() + " is not trained by this server; control it where it runs"));
        }
        return controls.control(action, token);
    }

    /** The channels of clients let in that follow a run, a copy. */
    private List<ClientChannel> channels(String runId) {
        List<ClientChannel> channels = new ArrayList<>();
        clients.forEach((socket, channel) -> {
            Following f = following.get(socket);
            if (f != null && f.runId().equals(runId)) {
                channels.add(channel);
            }
        });
        return channels;
    }

    private RunFeed feed(String runId) {
        return runs.computeIfAbsent(runId, id -> new RunFeed());
    }

    /** Forgets a run's history once nobody follows it and it is neither live nor the current DL4J run. */
    private void dropIfUnwatched(String runId) {
        if (runInfo.retained(runId)
                || following.values().stream().anyMatch(f -> f.runId().equals(runId))) {
            return;
        }
        RunFeed gone = runs.remove(runId);
        if (gone != null) {
            openingBuilds += gone.openings.builds();
        }
    }

    /** What the feed holds of one run. */
    private static final class RunFeed {
        final ReportHistory history = new ReportHistory();
        final OpeningHistory openings = new OpeningHistory(history, HISTORY_POINTS);
        String latestSamples;
    }

    /**
     * The run a client follows.
     *
     * @param byDefault it named none, so it moves to the next default run
     */
    private record Following(String runId, boolean byDefault) {}

    record Split(String name, String resumeParameter) {}

    /** A connected client waiting to be let in, with the resume points it asked for. */
    private record Waiting(ClientChannel channel, Map<String, Long> after) {}
}
