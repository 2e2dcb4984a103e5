package io.lossprism.http;

import static io.lossprism.http.TestReports.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.TrainingStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live feed behind a real Vert.x HTTP server, followed by real Vert.x WebSocket clients. */
class LiveFeedIT {

    private static final long WAIT_SECONDS = 30;
    private static final int OPENINGS_PER_SECOND = 2;

    private Vertx vertx;
    private FeedServer server;
    private WebSocketClient client;
    private final List<WebSocket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = new FeedServer(false);
        await(vertx.deployVerticle(server));
        client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setMaxMessageSize(64 * 1024 * 1024).setReceiveBufferSize(16 * 1024));
    }

    @AfterEach
    void stop() throws Exception {
        for (WebSocket socket : sockets) {
            if (!socket.isClosed()) {
                await(socket.close());
            }
        }
        await(vertx.close());
    }

    @Test
    void aNewClientGetsHelloHistoryAlertsSamplesThenLiveBatches() throws Exception {
        onFeed(feed -> {
            for (long i = 1; i <= 3000; i++) {
                feed.onBatch(i == 1234 ? batch("train", i, 100, 0.5) : batch("train", i));
                if (i % 50 == 0) {
                    feed.onBatch(batch("validation", i));
                }
            }
            feed.onSamples(
                    TestReports.RUN_ID, new JsonObject().put("iteration", 3000).put("images", new JsonArray()));
        });
        Client c = connect("/ws");

        assertThat(c.next().getString("type")).isEqualTo("hello");
        JsonObject train = c.next();
        assertThat(train.getString("type")).isEqualTo("history");
        assertThat(train.getString("split")).isEqualTo("train");
        assertThat(train.getLong("after")).isZero();
        assertThat(train.getInteger("total")).isEqualTo(3000);
        assertThat(train.getBoolean("downsampled")).isTrue();
        assertThat(iterations(train))
                .hasSizeLessThanOrEqualTo(2000)
                .hasSizeGreaterThan(1000)
                .contains(1L, 1234L, 3000L)
                .isSorted();
        JsonObject validation = c.next();
        assertThat(validation.getString("split")).isEqualTo("validation");
        assertThat(validation.getInteger("total")).isEqualTo(60);
        assertThat(validation.getBoolean("downsampled")).isFalse();
        assertThat(iterations(validation)).hasSize(60).startsWith(50L).endsWith(3000L);
        JsonObject alerts = c.next();
        assertThat(alerts.getString("type")).isEqualTo("alerts");
        assertThat(alerts.getJsonArray("active")).isEmpty();
        JsonObject samples = c.next();
        assertThat(samples.getString("type")).isEqualTo("samples");
        assertThat(samples.getLong("iteration")).isEqualTo(3000);

        onFeed(feed -> {
            feed.onBatch(batch("train", 3001));
            feed.onStatus(TrainingStatus.starting("run-1", 5));
            feed.onBatch(batch("train", 3002));
        });
        assertThat(c.next().getLong("iteration")).isEqualTo(3001);
        assertThat(c.next().getString("type")).isEqualTo("status");
        assertThat(c.next().getLong("iteration")).isEqualTo(3002);
    }

    @Test
    void aCrowdConnectingAtOnceSharesOneOpeningHistoryInLargeFrames() throws Exception {
        onFeed(feed -> {
            for (long i = 1; i <= 3000; i++) {
                feed.onBatch(batch("train", i));
                if (i % 50 == 0) {
                    feed.onBatch(batch("validation", i));
                }
            }
        });
        // offering compression as browsers do: the server declines, so every client gets the same bytes
        WebSocketClient browsers = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxMessageSize(64 * 1024 * 1024)
                .setTryUsePerMessageCompression(true)
                .setMaxConnections(20));
        List<Future<Client>> connecting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            connecting.add(connectLater(browsers, "/ws"));
        }
        for (Future<Client> future : connecting) {
            Client c = await(future);
            assertThat(c.socket.headers().get("Sec-WebSocket-Extensions"))
                    .as("compression declined")
                    .isNull();
            assertThat(c.next().getString("type")).isEqualTo("hello");
            JsonObject train = c.next();
            assertThat(train.getString("split")).isEqualTo("train");
            assertThat(train.getInteger("total")).isEqualTo(3000);
            assertThat(train.getBoolean("downsampled")).isTrue();
            assertThat(iterations(train))
                    .hasSizeLessThanOrEqualTo(LiveFeed.HISTORY_POINTS)
                    .contains(1L, 3000L);
            int bytes = c.bytes;
            assertThat(bytes).as("a long history").isGreaterThan(2 * SharedText.FRAME_BYTES);
            assertThat(c.largestFrame).isLessThanOrEqualTo(SharedText.FRAME_BYTES);
            assertThat(c.frames)
                    .as("frames of %d bytes", bytes)
                    .isLessThanOrEqualTo(bytes / SharedText.FRAME_BYTES + 2);
            assertThat(iterations(c.next())).as("validation").hasSize(60);
            assertThat(c.next().getString("type")).isEqualTo("alerts");
        }
        assertThat(ask(LiveFeed::openingBuilds))
                .as("one opening history per split for all")
                .isEqualTo(2);

        // a newcomer shortly after gets the same snapshot, then what came after it
        onFeed(feed -> {
            for (long i = 3001; i <= 3010; i++) {
                feed.onBatch(batch("train", i));
            }
        });
        Client late = connect("/ws");
        late.next();
        JsonObject snapshot = late.next();
        assertThat(snapshot.getLong("after")).isZero();
        assertThat(iterations(snapshot)).endsWith(3000L);
        JsonObject tail = late.next();
        assertThat(tail.getString("split")).isEqualTo("train");
        assertThat(tail.getLong("after")).isEqualTo(3000);
        assertThat(iterations(tail))
                .containsExactly(3001L, 3002L, 3003L, 3004L, 3005L, 3006L, 3007L, 3008L, 3009L, 3010L);
        assertThat(late.next().getString("split")).isEqualTo("validation");
        assertThat(late.next().getString("type")).isEqualTo("alerts");
        assertThat(ask(LiveFeed::openingBuilds)).isEqualTo(2);

        onFeed(feed -> feed.onBatch(batch("train", 3011)));
        assertThat(late.skipTo("batch").getLong("iteration")).isEqualTo(3011);
    }

    @Test
    void aCrowdIsLetInAFewAtATimeWhileTheirOpeningsAreUnread() throws Exception {
        onFeed(feed -> {
            for (long i = 1; i <= 3000; i++) {
                feed.onBatch(batch("train", i));
            }
            // the opening must outgrow the sockets' buffers (megabytes) to stay in the write queue
            feed.onSamples(
                    TestReports.RUN_ID,
                    new JsonObject().put("iteration", 3000).put("images", new JsonArray().add("x".repeat(6 << 20))));
        });
        int crowd = LiveFeed.MAX_OPENINGS + 6;
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < crowd; i++) {
            Client c = connect("/ws");
            c.socket.pause(); // megabytes of opening, small socket buffers: it stays in the queue
            clients.add(c);
        }
        assertThat(eventually(() -> ask(LiveFeed::waitingForOpening) == crowd - LiveFeed.MAX_OPENINGS))
                .isTrue();
        Thread.sleep(500);
        assertThat(ask(LiveFeed::waitingForOpening))
                .as("the rest wait while %d openings are unread", LiveFeed.MAX_OPENINGS)
                .isEqualTo(crowd - LiveFeed.MAX_OPENINGS);
        assertThat(ask(LiveFeed::clients)).as("connected").isEqualTo(crowd);

        clients.forEach(c -> c.socket.resume());
        for (Client c : clients) {
            assertThat(c.next().getString("type")).isEqualTo("hello");
            assertThat(c.next().getInteger("total")).isEqualTo(3000);
            assertThat(c.skipTo("alerts").getString("type")).isEqualTo("alerts");
            assertThat(c.next().getString("type")).isEqualTo("samples"); // read: the queue is empty again
        }
        assertThat(ask(LiveFeed::waitingForOpening)).isZero();
        onFeed(feed -> feed.onBatch(batch("train", 3001)));
        for (Client c : clients) {
            assertThat(c.skipTo("batch").getLong("iteration")).isEqualTo(3001);
        }
    }

    @Test
    void aCrowdIsLiveAtOnceAndGetsItsHistoriesAtTheConfiguredPace() throws Exception {
        server = new FeedServer(true);
        await(vertx.deployVerticle(server));
        onFeed(feed -> {
            for (long i = 1; i <= 3000; i++) {
                feed.onBatch(batch("train", i));
            }
        });
        int crowd = LiveFeed.MAX_OPENINGS + 6;
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < crowd; i++) {
            Client c = connect("/ws");
            assertThat(c.next().getString("type")).as("hello at once").isEqualTo("hello");
            clients.add(c);
        }
        // the clock stands still: the burst of MAX_OPENINGS, and not one more, however long this takes
        assertThat(eventually(() -> ask(LiveFeed::waitingForOpening) == crowd - LiveFeed.MAX_OPENINGS))
                .isTrue();
        onFeed(feed -> feed.onBatch(batch("train", 3001)));
        for (Client c : clients.subList(LiveFeed.MAX_OPENINGS, crowd)) {
            assertThat(c.next().getLong("iteration"))
                    .as("live before its history")
                    .isEqualTo(3001);
        }
        assertThat(ask(LiveFeed::waitingForOpening)).isEqualTo(crowd - LiveFeed.MAX_OPENINGS);

        server.clock.addAndGet(TimeUnit.SECONDS.toNanos(1)); // OPENINGS_PER_SECOND more
        assertThat(eventually(
                        () -> ask(LiveFeed::waitingForOpening) == crowd - LiveFeed.MAX_OPENINGS - OPENINGS_PER_SECOND))
                .isTrue();
        onFeed(feed -> feed.onBatch(batch("train", 3002)));
        Client last = clients.get(crowd - 1);
        assertThat(last.next().getLong("iteration")).isEqualTo(3002);
        assertThat(ask(LiveFeed::waitingForOpening))
                .as("one second's worth")
                .isEqualTo(crowd - LiveFeed.MAX_OPENINGS - OPENINGS_PER_SECOND);

        server.clock.addAndGet(TimeUnit.SECONDS.toNanos(60));
        // every client holds every iteration once it has read its opening: live batches and histories merge
        for (Client c : clients) {
            while (!(c.sawAlerts && c.trainHeld.contains(3002L))) {
                c.next();
            }
            assertThat(c.trainHeld).contains(1L, 3000L, 3001L, 3002L);
            assertThat(c.trainHistoriesAfter)
                    .as("the snapshot, then maybe its tail")
                    .containsAnyOf(0L);
            assertThat(c.trainHistoriesAfter).isSubsetOf(0L, 3000L);
        }
        assertThat(ask(LiveFeed::waitingForOpening)).isZero();
        assertThat(ask(LiveFeed::openingBuilds))
                .as("one snapshot per split for all")
                .isEqualTo(2);
    }

    @Test
    void upgradesWaitForLaterTurnsOfTheLoopAFewAtATimeWhileOtherRequestsAreAnswered() throws Exception {
        server = new FeedServer(false, true);
        await(vertx.deployVerticle(server));
        int crowd = 2 * UpgradeQueue.PER_TURN + 1;
        List<Future<Client>> connecting = new ArrayList<>();
        for (int i = 0; i < crowd; i++) {
            connecting.add(connectLater(client, "/ws"));
        }
        assertThat(eventually(() -> ask(LiveFeed::upgradesWaiting) == crowd)).isTrue();
        assertThat(rejectedStatus("/other"))
                .as("a request behind the crowd's upgrades is answered before any of them is done")
                .isEqualTo(200);
        assertThat(ask(LiveFeed::clients)).isZero();

        server.nextUpgradeTurn();
        assertThat(eventually(() -> ask(LiveFeed::clients) == UpgradeQueue.PER_TURN))
                .as("one turn upgrades %d", UpgradeQueue.PER_TURN)
                .isTrue();
        assertThat(ask(LiveFeed::upgradesWaiting)).isEqualTo(crowd - UpgradeQueue.PER_TURN);
        for (int i = 0; i < connecting.size(); i++) {
            assertThat(connecting.get(i).isComplete()).isEqualTo(i < UpgradeQueue.PER_TURN);
        }

        server.nextUpgradeTurn();
        server.nextUpgradeTurn();
        for (Future<Client> c : connecting) {
            assertThat(await(c).next().getString("type")).isEqualTo("hello");
        }
        assertThat(ask(LiveFeed::upgradesWaiting)).isZero();
        assertThat(ask(LiveFeed::clients)).isEqualTo(crowd);
    }

    @Test
    void aClientGoneBeforeItsUpgradeTurnIsNotConnectedAndTheNextIs() throws Exception {
        server = new FeedServer(false, true);
        await(vertx.deployVerticle(server));
        try (Socket gone = new Socket("127.0.0.1", server.port())) {
            gone.getOutputStream()
                    .write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(eventually(() -> ask(LiveFeed::upgradesWaiting) == 1)).isTrue();
        }
        Future<Client> next = connectLater(client, "/ws");
        assertThat(eventually(() -> ask(LiveFeed::upgradesWaiting) == 2)).isTrue();

        server.nextUpgradeTurn();
        assertThat(await(next).next().getString("type")).isEqualTo("hello");
        assertThat(eventually(() -> ask(LiveFeed::clients) == 1))
                .as("the client that left is not kept")
                .isTrue();
        assertThat(ask(LiveFeed::upgradesWaiting)).isZero();
    }

    @Test
    void aClientWaitingForItsHistoryIsOwedNoGapAndItsHistoryCoversWhatItMissed() throws Exception {
        server = new FeedServer(true);
        await(vertx.deployVerticle(server));
        onFeed(feed -> {
            for (long i = 1; i <= 100; i++) {
                feed.onBatch(batch("train", i));
            }
        });
        for (int i = 0; i < LiveFeed.MAX_OPENINGS; i++) { // the pace's burst, spent
            connect("/ws").skipTo("alerts");
        }
        Client waiting = connect("/ws");
        assertThat(waiting.next().getString("type")).isEqualTo("hello");
        waiting.socket.pause();
        int[] seen = ask(feed -> {
            for (long i = 101; i <= 400; i++) {
                feed.onBatch(batch("train", i)); // megabytes for a socket that reads nothing
            }
            ClientChannel channel = feed.channels().get(LiveFeed.MAX_OPENINGS);
            return new int[] {channel.behind() ? 1 : 0, channel.queued(), channel.sending() ? 1 : 0};
        });
        assertThat(seen[2])
                .as("its socket is full (else this test proves nothing)")
                .isEqualTo(1);
        assertThat(seen[0]).as("no gap owed: the history to come holds it").isZero();
        assertThat(seen[1]).isZero();
        assertThat(ask(LiveFeed::waitingForOpening)).isEqualTo(1);

        server.clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
        waiting.socket.resume();
        while (!waiting.sawAlerts) {
            waiting.next();
        }
        assertThat(waiting.trainHeld)
                .as("live batches and the history together: every iteration")
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 400).boxed().toList());
    }

    @Test
    void aReconnectingClientGetsExactlyTheGap() throws Exception {
        onFeed(feed -> {
            for (long i = 1; i <= 500; i++) {
                feed.onBatch(batch("train", i));
                if (i % 100 == 0) {
                    feed.onBatch(batch("validation", i));
                }
            }
        });
        Client c = connect("/ws?trainAfter=420&validationAfter=300");
        c.next(); // hello
        JsonObject train = c.next();
        assertThat(train.getLong("after")).isEqualTo(420);
        assertThat(train.getInteger("total")).isEqualTo(80);
        assertThat(train.getBoolean("downsampled")).isFalse();
        assertThat(iterations(train)).hasSize(80).startsWith(421L).endsWith(500L);
        JsonObject validation = c.next();
        assertThat(iterations(validation)).containsExactly(400L, 500L);

        Client upToDate = connect("/ws?trainAfter=500&validationAfter=500");
        upToDate.next();
        assertThat(upToDate.next().getJsonArray("iteration")).isEmpty();
        assertThat(upToDate.next().getJsonArray("iteration")).isEmpty();

        assertThat(rejectedStatus("/ws?trainAfter=-1")).isEqualTo(400);
        assertThat(rejectedStatus("/ws?validationAfter=ten")).isEqualTo(400);
    }

    @Test
    void aSlowClientCostsBoundedMemoryAndCatchesUpThroughHistoryGaps() throws Exception {
        onFeed(feed -> feed.onBatch(batch("train", 1)));
        Client slow = connect("/ws");
        slow.skipTo("alerts");
        slow.socket.pause();

        int maxQueued = 0;
        boolean wasBehind = false;
        long dropped = 0;
        for (int chunk = 0; chunk < 50; chunk++) {
            long first = 2 + chunk * 100L;
            int[] seen = ask(feed -> {
                for (long i = first; i < first + 100; i++) {
                    feed.onBatch(batch("train", i));
                    feed.onStatus(TrainingStatus.starting("run-1", 5));
                }
                feed.onAlert(TestReports.alert(first));
                ClientChannel channel = feed.channels().get(0);
                return new int[] {channel.queued(), channel.behind() ? 1 : 0, (int) channel.dropped()};
            });
            maxQueued = Math.max(maxQueued, seen[0]);
            wasBehind |= seen[1] == 1;
            dropped = seen[2];
        }
        long last = 5001;
        assertThat(wasBehind)
                .as("the client fell behind (else this test proves nothing)")
                .isTrue();
        // one gap per split, the newest 64 alerts, the latest status and samples, a few control results
        assertThat(maxQueued).isLessThanOrEqualTo(ClientChannel.MAX_ALERTS + 2 + 2 + ClientChannel.MAX_CONTROL_RESULTS);
        assertThat(dropped).isZero(); // 50 alerts fit in the 64

        slow.socket.resume();
        // the kernel's buffers let some data through while paused, so there may be several gaps;
        // together with the live batches they must cover every iteration exactly once, in order
        long covered = 1;
        int gaps = 0;
        while (covered < last) {
            JsonObject m = slow.next();
            if ("batch".equals(m.getString("type"))) {
                assertThat(m.getLong("iteration")).isEqualTo(covered + 1);
                covered = m.getLong("iteration");
            } else if ("history".equals(m.getString("type"))) {
                gaps++;
                List<Long> reports = iterations(m);
                assertThat(m.getString("split")).isEqualTo("train");
                assertThat(m.getLong("after")).isEqualTo(covered);
                assertThat(reports)
                        .hasSizeLessThanOrEqualTo(LiveFeed.HISTORY_POINTS)
                        .startsWith(covered + 1);
                long end = reports.get(reports.size() - 1);
                assertThat(m.getInteger("total")).isEqualTo((int) (end - covered));
                covered = end;
            }
        }
        assertThat(gaps).isPositive();
        assertThat(covered).isEqualTo(last);
        assertThat(slow.skipTo("alert").getString("type")).isEqualTo("alert");
        // alerts and the status follow the gap as the client reads on: then nothing is owed
        assertThat(eventually(() -> ask(feed -> feed.channels().get(0).queued()) == 0))
                .isTrue();

        onFeed(feed -> feed.onBatch(batch("train", last + 1)));
        assertThat(slow.skipTo("batch").getLong("iteration")).isEqualTo(last + 1);
    }

    @Test
    void tooManyMessagesCloseTheSocketWithPolicyViolation() throws Exception {
        Client c = connect("/ws");
        c.skipTo("alerts");
        for (int i = 0; i < 30; i++) {
            c.socket.writeTextMessage(control("pause", "r" + i));
        }
        assertThat(c.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    }

    @Test
    void oversizeMessagesCloseTheSocketWithMessageTooBig() throws Exception {
        Client c = connect("/ws");
        c.skipTo("alerts");
        c.socket.writeTextMessage(control("pause", "x".repeat(5000)));
        assertThat(c.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1009);

        WebSocketClient smallFrames = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1024));
        Client fragmented = connect(smallFrames, "/ws"); // every frame is small, the message is not
        fragmented.skipTo("alerts");
        fragmented.socket.writeTextMessage(control("pause", "x".repeat(5000)));
        assertThat(fragmented.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1009);

        assertThat(eventually(() -> ask(LiveFeed::clients) == 0))
                .as("the server let go of both clients")
                .isTrue();
    }

    @Test
    void anOversizeMessageEndsWithACloseFrameNotAReset() throws Exception {
        // under the frame limit (the feed refuses it), over it (Netty's decoder does), and far over it:
        // before the fix the larger ones ended in a TCP reset, or a broken pipe while still sending
        for (int size : new int[] {5_000, 100_000, 2_000_000, 16_000_000}) {
            try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws", Duration.ofSeconds(WAIT_SECONDS))) {
                raw.send(
                        RawWebSocket.TEXT,
                        true,
                        control("pause", "x".repeat(size)).getBytes(StandardCharsets.UTF_8));
                assertThat(raw.closeCode())
                        .as("close code after %d bytes", size)
                        .isEqualTo((short) 1009);
                assertThat(raw.end())
                        .as("end of the connection after %d bytes", size)
                        .isEqualTo(RawWebSocket.End.CLEAN);
            }
        }
        assertThat(eventually(() -> ask(LiveFeed::clients) == 0))
                .as("the server let go of every client")
                .isTrue();
    }

    @Test
    void textThatIsNotUtf8ClosesTheSocketWithInvalidPayload() throws Exception {
        byte[] broken = {'{', '"', (byte) 0xC3, '(', '"', ':', '1', '}'}; // 0xC3 must be followed by 0x80-0xBF
        try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws", Duration.ofSeconds(WAIT_SECONDS))) {
            raw.send(RawWebSocket.TEXT, true, broken);
            assertThat(raw.closeCode()).isEqualTo((short) 1007);
            assertThat(raw.end()).isEqualTo(RawWebSocket.End.CLEAN);
        }

        // a character split between two frames is valid UTF-8 all the same
        byte[] text = new JsonObject()
                .put("type", "control")
                .put("action", "pause")
                .put("token", "secret")
                .put("requestId", "r\u00e9")
                .encode()
                .getBytes(StandardCharsets.UTF_8);
        int split = indexOf(text, (byte) 0xC3) + 1;
        try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws", Duration.ofSeconds(WAIT_SECONDS))) {
            raw.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(text, 0, split));
            raw.send(0x0, true, Arrays.copyOfRange(text, split, text.length));
            JsonObject result;
            do {
                Optional<String> message = raw.message();
                assertThat(message).as("not closed").isPresent();
                result = new JsonObject(message.get());
            } while (!"control-result".equals(result.getString("type")));
            assertThat(result.getString("requestId")).isEqualTo("r\u00e9");
            assertThat(result.getBoolean("ok")).isTrue();
        }
    }

    @Test
    void pingsCountAgainstTheRate() throws Exception {
        Client c = connect("/ws");
        c.skipTo("alerts");
        for (int i = 0; i < 30; i++) {
            c.socket.writePing(Buffer.buffer("ping " + i));
        }
        assertThat(c.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    }

    @Test
    void garbageAndBinaryCloseTheSocketWithPolicyViolation() throws Exception {
        Client c = connect("/ws");
        c.skipTo("alerts");
        c.socket.writeTextMessage("pause please");
        assertThat(c.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1008);

        Client binary = connect("/ws");
        binary.skipTo("alerts");
        binary.socket.writeBinaryMessage(Buffer.buffer(control("pause", "r1")));
        assertThat(binary.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    }

    @Test
    void controlsAreAnsweredWithControlResults() throws Exception {
        Client c = connect("/ws");
        c.skipTo("alerts");
        c.socket.writeTextMessage(new JsonObject()
                .put("type", "control")
                .put("action", "pause")
                .put("token", "secret")
                .put("requestId", "r1")
                .encode());
        JsonObject result = c.skipTo("control-result");
        assertThat(result.getString("requestId")).isEqualTo("r1");
        assertThat(result.getString("action")).isEqualTo("pause");
        assertThat(result.getBoolean("ok")).isTrue();
        assertThat(result.containsKey("error")).isFalse();

        c.socket.writeTextMessage(control("resume", "r2")); // answered from another thread, wrong token
        result = c.skipTo("control-result");
        assertThat(result.getString("requestId")).isEqualTo("r2");
        assertThat(result.getBoolean("ok")).isFalse();
        assertThat(result.getString("error")).isEqualTo("bad token");

        c.socket.writeTextMessage(new JsonObject()
                .put("type", "control")
                .put("action", "explode")
                .put("requestId", "r3")
                .encode());
        result = c.skipTo("control-result");
        assertThat(result.getString("requestId")).isEqualTo("r3");
        assertThat(result.getBoolean("ok")).isFalse();

        c.socket.writeTextMessage(
                new JsonObject().put("type", "subscribe").put("requestId", "r4").encode());
        result = c.skipTo("control-result");
        assertThat(result.getString("requestId")).isEqualTo("r4");
        assertThat(result.getString("error")).contains("unknown message type");
        assertThat(c.socket.isClosed()).isFalse();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static boolean eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static String control(String action, String requestId) {
        return new JsonObject()
                .put("type", "control")
                .put("action", action)
                .put("token", "wrong")
                .put("requestId", requestId)
                .encode();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("no byte " + b);
    }

    private static List<Long> iterations(JsonObject history) {
        return history.getJsonArray("iteration").stream()
                .map(i -> ((Number) i).longValue())
                .toList();
    }

    private void onFeed(Consumer<LiveFeed> action) throws Exception {
        ask(feed -> {
            action.accept(feed);
            return null;
        });
    }

    /** Runs on the feed's event loop, as everything touching the feed must. */
    private <T> T ask(Function<LiveFeed, T> action) throws Exception {
        return await(server.run(action));
    }

    private Client connect(String uri) throws Exception {
        return connect(client, uri);
    }

    private Client connect(WebSocketClient from, String uri) throws Exception {
        return await(connectLater(from, uri));
    }

    /** Starts connecting; many may be under way at once. */
    private Future<Client> connectLater(WebSocketClient from, String uri) {
        Client c = new Client();
        ClientWebSocket socket = from.webSocket(); // handlers first: the hello comes at once
        socket.frameHandler(c::onFrame);
        socket.closeHandler(v -> c.closed.complete(socket.closeStatusCode()));
        return socket.connect(server.port(), "127.0.0.1", uri).map(ws -> {
            c.socket = ws;
            synchronized (sockets) {
                sockets.add(ws);
            }
            return c;
        });
    }

    private int rejectedStatus(String uri) throws Exception {
        HttpClient http = vertx.createHttpClient();
        try {
            return await(http.request(HttpMethod.GET, server.port(), "127.0.0.1", uri)
                    .compose(HttpClientRequest::send)
                    .map(HttpClientResponse::statusCode));
        } finally {
            await(http.close());
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private record Received(JsonObject json, int frames, int largestFrame, int bytes) {}

    private static final class Client {
        WebSocket socket;
        final LinkedBlockingQueue<Received> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Short> closed = new CompletableFuture<>();
        /** The frames of the last message {@link #next} returned, and the largest one's bytes. */
        int frames;

        int largestFrame;
        /** The UTF-8 bytes of the last message {@link #next} returned, as sent. */
        int bytes;

        private Buffer partial;
        private int partialFrames;
        private int partialLargest;

        /** On the client's event loop: reassembles text messages, counting their frames. */
        void onFrame(WebSocketFrame frame) {
            if (frame.isText()) {
                partial = Buffer.buffer();
                partialFrames = 0;
                partialLargest = 0;
            } else if (!frame.isContinuation() || partial == null) {
                return;
            }
            partial.appendBuffer(frame.binaryData());
            partialFrames++;
            partialLargest = Math.max(partialLargest, frame.binaryData().length());
            if (frame.isFinal()) {
                messages.add(new Received(
                        new JsonObject(partial.toString(StandardCharsets.UTF_8)),
                        partialFrames,
                        partialLargest,
                        partial.length()));
                partial = null;
            }
        }

        /** The train iterations of every batch and history {@link #next} returned, and those histories' after. */
        final java.util.TreeSet<Long> trainHeld = new java.util.TreeSet<>();

        final List<Long> trainHistoriesAfter = new ArrayList<>();
        boolean sawAlerts;

        JsonObject next() throws InterruptedException {
            Received m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(m).as("a message within %d s", WAIT_SECONDS).isNotNull();
            String type = m.json().getString("type");
            sawAlerts |= "alerts".equals(type);
            if ("batch".equals(type) && "train".equals(m.json().getString("split"))) {
                trainHeld.add(m.json().getLong("iteration"));
            } else if ("history".equals(type) && "train".equals(m.json().getString("split"))) {
                trainHeld.addAll(iterations(m.json()));
                trainHistoriesAfter.add(m.json().getLong("after"));
            }
            frames = m.frames();
            largestFrame = m.largestFrame();
            bytes = m.bytes();
            return m.json();
        }

        JsonObject skipTo(String type) throws InterruptedException {
            JsonObject m;
            do {
                m = next();
            } while (!type.equals(m.getString("type")));
            return m;
        }
    }

    /**
     * The feed behind an HTTP server and a router in one verticle, with {@link HttpVerticle}'s WebSocket
     * options, a small write queue and socket buffer so that a paused client is slow after a few hundred
     * kilobytes. Controls: pause with
     * token "secret" succeeds at once; anything else fails from another thread.
     */
    private static final class FeedServer extends VerticleBase {

        /** Moves the pace's clock on, in nanoseconds. */
        final AtomicLong clock = new AtomicLong();

        private final boolean paced;
        private final long base = System.nanoTime();
        /** Held upgrade turns, when the test runs them: on the server's event loop only. */
        private final List<Runnable> upgradeTurns;

        /**
         * @param paced true: the pace's clock stands still unless a test moves it; false: it runs a
         *              thousand times faster than time, so that the pace never holds a test up
         */
        FeedServer(boolean paced) {
            this(paced, false);
        }

        /** @param holdUpgrades true: upgrades wait until the test runs a turn ({@link #nextUpgradeTurn}) */
        FeedServer(boolean paced, boolean holdUpgrades) {
            this.paced = paced;
            this.upgradeTurns = holdUpgrades ? new ArrayList<>() : null;
        }

        /** Runs the upgrade turn the feed asked for, on the server's event loop. */
        void nextUpgradeTurn() throws Exception {
            await(run(feed -> {
                assertThat(upgradeTurns).as("a turn asked for").hasSize(1);
                upgradeTurns.remove(0).run();
                return null;
            }));
        }

        private long paceClock() {
            return clock.get() + (paced ? 0 : (System.nanoTime() - base) * 1000);
        }

        private LiveFeed feed;
        private HttpServer http;

        @Override
        public Future<?> start() {
            ControlHandler controls = (action, token) -> {
                if ("secret".equals(token)) {
                    return Future.succeededFuture(new JsonObject().put("ok", true));
                }
                Promise<JsonObject> promise = Promise.promise();
                new Thread(() -> promise.complete(
                                new JsonObject().put("ok", false).put("error", "bad token")))
                        .start();
                return promise.future();
            };
            feed = new LiveFeed(
                    new OneRun(),
                    controls,
                    16 * 1024,
                    OPENINGS_PER_SECOND,
                    this::paceClock,
                    upgradeTurns == null ? null : upgradeTurns::add);
            HttpServerOptions options = LiveFeed.configure(
                    new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSendBufferSize(16 * 1024));
            Router router = Router.router(vertx); // as in HttpVerticle: the router wraps request and socket
            router.get("/ws").handler(ctx -> feed.accept(ctx.request()));
            router.get("/other").handler(ctx -> ctx.response().end("served"));
            return vertx.createHttpServer(options)
                    .requestHandler(router)
                    .listen()
                    .onSuccess(s -> http = s);
        }

        int port() {
            return http.actualPort();
        }

        /** The feed's one run, that of {@link TestReports}, held from the start. */
        private static final class OneRun implements LiveFeedRuns {

            @Override
            public String defaultRun() {
                return TestReports.RUN_ID;
            }

            @Override
            public JsonObject hello(String runId) {
                return new JsonObject().put("type", "hello");
            }

            @Override
            public JsonObject alerts(String runId) {
                return new JsonObject().put("active", new JsonArray()).put("history", new JsonArray());
            }

            @Override
            public void load(String runId) {
                // nothing stored
            }

            @Override
            public boolean controllable(String runId) {
                return true;
            }

            @Override
            public boolean retained(String runId) {
                return true;
            }
        }

        <T> Future<T> run(Function<LiveFeed, T> action) {
            Promise<T> promise = Promise.promise();
            context.runOnContext(v -> {
                try {
                    promise.complete(action.apply(feed));
                } catch (RuntimeException | AssertionError e) {
                    promise.fail(e);
                }
            });
            return promise.future();
        }
    }
}
