package io.lossprism.http;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
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
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The WebSocket feed of docs/protocol.md: upgrades a few per turn of the event loop
 * ({@link UpgradeQueue}), so that other requests are answered in between; on connect hello, and
 * live messages from then on, each
 * serialised once for all clients and handed to each client's bounded {@link ClientChannel}; the
 * opening (history per split, alerts, the latest samples) when the client's turn comes, at a bounded
 * pace, so that a crowd connecting at once is live at once and costs the server a bounded share. Each client follows one run ({@code /ws?run=<id>}; without it the
 * {@link LiveFeedRuns#defaultRun}, and the next one when another becomes the default): it gets that run's
 * messages only, and each run has its own history, opening snapshots and latest samples. Batch reports go into the {@link ReportHistory} first, so a client
 * that falls behind is sent the gap from there. A client that asks for the whole history gets the
 * {@link OpeningHistory} snapshot that every client connecting about then shares, and the few reports
 * after it.
 *
 * <p>One per HTTP event loop: its sockets, their admission and their upgrades are that loop's own, and
 * every method runs on it. What is the process's, the runs' histories and snapshots, the opening pace
 * and the counts, is in the {@link FeedHub} that every loop's feed shares; live messages come from there.
 */
final class LiveFeed {

    /**
     * The feed protocol's version, in hello; 2: history messages are columnar; 3: live messages may come
     * before the opening history.
     */
    static final int PROTOCOL_VERSION = 3;
    /** Reports in one history message at most; larger ranges are downsampled. */
    static final int HISTORY_POINTS = 2000;
    /**
     * Clients of one loop whose opening may be in their sockets' write queues at once; the rest wait their
     * turn. Per loop, as the queues are that loop's to drain; the pace bounds all loops together.
     */
    static final int MAX_OPENINGS = 4;
    /** Bytes a socket may have waiting before the client counts as slow; a few seconds of live reports. */
    static final int WRITE_QUEUE_BYTES = 256 * 1024;
    /** The splits a history is sent for on connect, each with the query parameter that resumes it. */
    static final List<Split> SPLITS =
            List.of(new Split("train", "trainAfter"), new Split("validation", "validationAfter"));

    private static final List<String> SPLIT_NAMES =
            SPLITS.stream().map(Split::name).toList();

    /** Connected clients: all get live messages from their hello on. */
    private final Map<ServerWebSocket, ClientChannel> clients = new LinkedHashMap<>();
    /** Clients whose opening is still to come, in order of arrival. */
    private final Map<ServerWebSocket, Waiting> waiting = new LinkedHashMap<>();
    /** Clients whose opening is still in their socket's write queue. */
    private final Set<ClientChannel> opening = new HashSet<>();
    /** Upgrade requests waiting for their turn on the event loop. */
    private final UpgradeQueue upgrades;

    /** The run each connected client follows. */
    private final Map<ServerWebSocket, Following> following = new HashMap<>();
    /** The runs' histories, snapshots, the pace and the counts: the process's, shared by every loop. */
    private final FeedHub hub;

    private final LiveFeedRuns runInfo;
    private final ControlHandler controls;
    private final int writeQueueBytes;
    /** Runs the upgrade and admission timers: the event loop's Vert.x, known from the first request. */
    private Vertx timers;

    private boolean admissionScheduled;

    /**
     * @param controls          carries out control messages
     * @param openingsPerSecond openings (histories, alerts, samples) sent per second at most
     */
    LiveFeed(LiveFeedRuns runs, ControlHandler controls, int openingsPerSecond) {
        this(runs, controls, WRITE_QUEUE_BYTES, openingsPerSecond, System::nanoTime);
    }

    /**
     * One loop's feed of a server with several: joins {@code hub} on the event loop it is made on.
     *
     * @param controls carries out control messages
     */
    LiveFeed(FeedHub hub, LiveFeedRuns runs, ControlHandler controls) {
        this(hub, runs, controls, WRITE_QUEUE_BYTES, null);
    }

    /** @param clock the pace's clock, in nanoseconds */
    LiveFeed(
            LiveFeedRuns runs,
            ControlHandler controls,
            int writeQueueBytes,
            int openingsPerSecond,
            LongSupplier clock) {
        this(runs, controls, writeQueueBytes, openingsPerSecond, clock, null);
    }

    /**
     * @param upgradeTurns runs its argument on a later turn of the event loop; null: a timer of a
     *                     millisecond on the loop that accepted the request
     */
    LiveFeed(
            LiveFeedRuns runs,
            ControlHandler controls,
            int writeQueueBytes,
            int openingsPerSecond,
            LongSupplier clock,
            Consumer<Runnable> upgradeTurns) {
        this(new FeedHub(runs::retained, openingsPerSecond, clock), runs, controls, writeQueueBytes, upgradeTurns);
    }

    private LiveFeed(
            FeedHub hub,
            LiveFeedRuns runs,
            ControlHandler controls,
            int writeQueueBytes,
            Consumer<Runnable> upgradeTurns) {
        this.hub = hub;
        this.runInfo = runs;
        this.controls = controls;
        this.writeQueueBytes = writeQueueBytes;
        this.upgrades = new UpgradeQueue(
                upgradeTurns != null ? upgradeTurns : turn -> timers.setTimer(1, id -> turn.run()),
                UpgradeQueue.PER_TURN);
        hub.register(this, Vertx.currentContext()); // last: live messages may come from now on
    }

    /**
     * A run's history, held from now on (new and empty when it was not); callers fill it and then
     * {@link #restart} the run.
     */
    ReportHistory history(String runId) {
        return hub.history(runId);
    }

    /** Leaves the hub: this loop's clients get no more live messages. */
    void close() {
        hub.unregister(this);
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
     * Queues a request for the feed for its upgrade to a WebSocket, which comes on a later turn of the
     * event loop ({@link UpgradeQueue}); a bad resume parameter is answered with 400 at once.
     */
    void accept(HttpServerRequest request) {
        Map<String, Long> after;
        try {
            after = resumePoints(request.params());
        } catch (IllegalArgumentException e) {
            request.response().setStatusCode(400).end(e.getMessage());
            return;
        }
        if (timers == null) {
            timers = Vertx.currentContext().owner();
        }
        request.pause(); // its end stays unread until the upgrade, which needs it
        upgrades.add(() -> upgrade(request, after));
    }

    /** Upgrade requests waiting for their turn. */
    int upgradesWaiting() {
        return upgrades.waiting();
    }

    /**
     * Upgrades a queued request and connects it; the run it follows by default is the default run now,
     * when it connects, as it may have changed while the request waited.
     */
    private void upgrade(HttpServerRequest request, Map<String, Long> after) {
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

    /** Sends the client its hello and live messages at once; its opening when its turn comes. */
    private void connect(
            ServerWebSocket socket, HttpConnection connection, Map<String, Long> after, Following follows) {
        socket.setWriteQueueMaxSize(writeQueueBytes);
        boolean held = hub.holds(follows.runId());
        hub.follow(follows.runId());
        ClientChannel channel =
                new ClientChannel(socket, hub.history(follows.runId()), HISTORY_POINTS, this::scheduleAdmission);
        following.put(socket, follows);
        hub.clientConnected();
        socket.closeHandler(v -> {
            hub.clientClosed();
            clients.remove(socket);
            waiting.remove(socket);
            opening.remove(channel);
            Following gone = following.remove(socket);
            if (gone != null) {
                hub.unfollow(gone.runId());
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
        clients.put(socket, channel);
        channel.open(runInfo.hello(follows.runId()).encode());
        channel.awaitHistory(SPLIT_NAMES);
        waiting.put(socket, new Waiting(channel, after));
        scheduleAdmission();
        if (!held && !follows.runId().isEmpty()) {
            runInfo.load(follows.runId()); // a run not held: its stored history, then the opening again
        }
    }

    /**
     * Sends the next opening on a timer, not now: the event loop first serves whatever else is ready
     * (other requests, other upgrades), so a crowd never holds it for more than one opening at a time.
     */
    void scheduleAdmission() {
        scheduleAdmission(1);
    }

    private void scheduleAdmission(long delayMillis) {
        if (!admissionScheduled && !waiting.isEmpty() && timers != null) {
            admissionScheduled = true;
            timers.setTimer(delayMillis, id -> admitNext());
        }
    }

    /**
     * Sends the first waiting client its opening, when the shared snapshots it needs are built, the pace
     * allows one more, and fewer than {@value #MAX_OPENINGS} others are still in their sockets' write
     * queues; otherwise its turn comes when a snapshot is built, the pace allows, or a queue drains.
     */
    private void admitNext() {
        admissionScheduled = false;
        opening.removeIf(channel -> !channel.sending());
        var next = waiting.entrySet().iterator();
        if (opening.size() >= MAX_OPENINGS || !next.hasNext()) {
            return; // a drain or a close schedules the next turn
        }
        Map.Entry<ServerWebSocket, Waiting> entry = next.next();
        ClientChannel channel = entry.getValue().channel();
        String runId = following.get(entry.getKey()).runId();
        FeedHub.RunFeed run = hub.feed(runId);
        Map<String, Long> after = entry.getValue().after();
        Map<String, OpeningHistory.Snapshot> snapshots = new HashMap<>();
        for (Split split : SPLITS) {
            if (after.getOrDefault(split.name(), 0L) == 0) {
                OpeningHistory.Snapshot snapshot = run.openings.ready(split.name());
                if (snapshot == null) {
                    return; // being built: its end schedules the next turn
                }
                snapshots.put(split.name(), snapshot);
            }
        }
        if (!hub.takeOpening()) {
            scheduleAdmission(Math.max(1, 1000 / hub.openingsPerSecond()));
            return;
        }
        next.remove();
        sendOpening(channel, run, snapshots, after, FeedMessages.alerts(runInfo.alerts(runId)));
        SharedText samples = run.latestSamples;
        if (samples != null) {
            channel.open(samples);
        }
        if (channel.sending()) {
            opening.add(channel);
        }
        scheduleAdmission();
    }

    /** A batch report: into the run's history, then to the clients of every loop. */
    void onBatch(BatchReport report) {
        hub.onBatch(report);
    }

    void onAlert(AlertEvent event) {
        hub.onAlert(event);
    }

    void onStatus(TrainingStatus status) {
        hub.onStatus(status);
    }

    /** A {@code samples} message of a run, to every loop's clients; kept for clients that connect later. */
    void onSamples(String runId, JsonObject samples) {
        hub.onSamples(runId, samples);
    }

    /**
     * A run's history changed under its clients (it started, or went back to a checkpoint): every loop's
     * clients of it get the opening again ({@link #restartClients}).
     *
     * @param newRun true also forgets the run's samples, which belonged to its old history
     */
    void restart(String runId, boolean newRun) {
        hub.restart(runId, newRun);
    }

    /** A batch report, already in the history, for this loop's clients of its run. */
    void deliverBatch(String runId, String split, long iteration, SharedText json) {
        for (ClientChannel channel : channels(runId)) {
            channel.batch(split, iteration, json);
        }
    }

    void deliverAlert(String runId, SharedText json) {
        for (ClientChannel channel : channels(runId)) {
            channel.alert(json);
        }
    }

    void deliverStatus(String runId, SharedText json) {
        for (ClientChannel channel : channels(runId)) {
            channel.status(json);
        }
    }

    void deliverSamples(String runId, SharedText json) {
        for (ClientChannel channel : channels(runId)) {
            channel.samples(json);
        }
    }

    /**
     * This loop's part of a {@link #restart}: each of its clients of the run gets the hello again at once
     * and its opening when its turn comes, as new clients do. A client holding points past the new end
     * replaces them as they come. Clients that follow the default run and are not on it now move to it.
     */
    void restartClients(String runId) {
        String defaultRun = runInfo.defaultRun();
        Map<String, String> hellos = new HashMap<>();
        for (Map.Entry<ServerWebSocket, Following> entry : following.entrySet()) {
            Following f = entry.getValue();
            boolean moves = f.byDefault() && !f.runId().equals(defaultRun);
            if (!moves && !f.runId().equals(runId)) {
                continue;
            }
            if (moves) {
                hub.follow(defaultRun);
                hub.unfollow(f.runId());
                entry.setValue(new Following(defaultRun, true));
            }
            String now = entry.getValue().runId();
            ClientChannel channel = clients.get(entry.getKey());
            channel.follow(hub.history(now)); // nothing of the old history is owed any more
            channel.open(hellos.computeIfAbsent(now, id -> runInfo.hello(id).encode()));
            channel.awaitHistory(SPLIT_NAMES);
            waiting.put(entry.getKey(), new Waiting(channel, Map.of()));
        }
        scheduleAdmission();
    }

    /**
     * The history of each split after the client's resume points (none: the shared snapshot from the
     * start, and the shared message of what came after it), then the alerts.
     */
    private void sendOpening(
            ClientChannel channel,
            FeedHub.RunFeed run,
            Map<String, OpeningHistory.Snapshot> snapshots,
            Map<String, Long> after,
            String alertsText) {
        for (Split split : SPLITS) {
            OpeningHistory.Snapshot snapshot = snapshots.get(split.name());
            if (snapshot != null) {
                channel.openHistory(split.name(), snapshot, run.openings.tail(split.name(), snapshot));
            } else {
                channel.openHistory(split.name(), after.get(split.name()));
            }
        }
        channel.open(alertsText);
    }

    /** Snapshots of the opening history built so far: one per split and change, not one per client or loop. */
    long openingBuilds() {
        return hub.openingBuilds();
    }

    /** The runs whose history the feed holds now. */
    Set<String> heldRuns() {
        return hub.heldRuns();
    }

    /** Connected clients of this loop. */
    int clients() {
        return clients.size();
    }

    /** Connected clients whose opening is still to come. */
    int waitingForOpening() {
        return waiting.size();
    }

    /**
     * The channels of the connected clients, a copy: writing may close a socket, and its close handler
     * removes it from the live map.
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

    /** The channels of the clients that follow a run, a copy. */
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

    /**
     * The run a client follows.
     *
     * @param byDefault it named none, so it moves to the next default run
     */
    private record Following(String runId, boolean byDefault) {}

    record Split(String name, String resumeParameter) {}

    /** A connected client waiting for its opening, with the resume points it asked for. */
    private record Waiting(ClientChannel channel, Map<String, Long> after) {}
}
