package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.lossprism.bus.Addresses;
import io.lossprism.testing.CapturedLog;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP server on several event loops ({@code http.eventLoops}): one port, and what must be the
 * process's (the rate limit, the client count, the opening pace, the opening snapshots) holds across
 * loops; live data reaches the clients of every loop; shutdown is clean. Connections are spread over
 * the loops in turn, so a handful of new connections lands on all of them; the tests check that too.
 */
class HttpLoopsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private List<ILoggingEvent> errors() {
        return log.atLeast(Level.ERROR);
    }

    @Test
    void aPortZeroServerOnSeveralLoopsAnswersOnOnePort() throws Exception {
        try (TestServer server = new TestServer("http.eventLoops=4")) {
            assertThat(server.verticle().ports()).hasSize(4).containsOnly(server.port());
            for (int i = 0; i < 12; i++) { // a new connection each: every loop answers some
                String response = server.raw("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1");
                assertThat(response).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void aFixedPortIsSharedByEveryLoop() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (TestServer server = new TestServer("http.port=" + port, "http.eventLoops=3")) {
            assertThat(server.verticle().ports()).containsExactly(port, port, port);
            for (int i = 0; i < 6; i++) {
                assertThat(server.raw("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1"))
                        .startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void theRateLimitOfAnAddressHoldsAcrossLoops() throws Exception {
        try (TestServer server =
                new TestServer("http.eventLoops=4", "http.requestsPerSecond=1", "http.requestBurst=8")) {
            int served = 0;
            long start = System.nanoTime();
            for (int i = 0; i < 32; i++) { // a new connection each, so they go round the 4 loops
                if (server.raw("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1").startsWith("HTTP/1.1 200")) {
                    served++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // one budget: a limiter per loop would serve 4 x 8 = 32
            assertThat(served)
                    .as("32 requests in %.1f s against 1/s with a burst of 8", seconds)
                    .isBetween(8, 8 + (int) Math.ceil(seconds) + 1);
        }
    }

    @Test
    void clientsOnEveryLoopAreCountedTogetherGetLiveDataAndCloseCleanly() throws Exception {
        List<RawWebSocket> clients = new ArrayList<>();
        TestServer server = new TestServer("http.eventLoops=4");
        {
            for (int i = 1; i <= 30; i++) { // the run's history is held before anyone connects
                server.vertx.eventBus().publish(Addresses.BATCH_REPORT, TestReports.batch("train", i));
            }
            FeedHub hub = server.verticle().feedHub();
            assertThat(eventually(() -> hub.history(TestReports.RUN_ID).last("train") == 30))
                    .isTrue();
            try {
                for (int i = 0; i < 8; i++) {
                    clients.add(RawWebSocket.connect(server.port(), "/ws?run=" + TestReports.RUN_ID, TIMEOUT));
                }
                for (RawWebSocket client : clients) {
                    assertThat(messageContaining(client, "\"type\":\"history\""))
                            .isPresent();
                }
                List<Integer> perLoop = server.verticle()
                        .clientsPerLoop()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                assertThat(perLoop).as("clients per loop").hasSize(4).allMatch(n -> n >= 1);
                JsonObject status =
                        new JsonObject(server.send("GET", "/api/status").body());
                assertThat(status.getInteger("clients"))
                        .as("all loops' clients")
                        .isEqualTo(8);
                assertThat(hub.openingBuilds())
                        .as("one snapshot per split for 8 clients on 4 loops")
                        .isEqualTo(2);

                server.vertx.eventBus().publish(Addresses.BATCH_REPORT, TestReports.batch("train", 31));
                for (RawWebSocket client : clients) {
                    assertThat(messageContaining(client, "\"iteration\":31"))
                            .as("live batch on every loop")
                            .isPresent();
                }
            } finally {
                server.close(); // with every client still connected
                for (RawWebSocket client : clients) {
                    client.close();
                }
            }
        }
        assertThat(errors()).as("ERROR lines").isEmpty();
    }

    @Test
    void theOpeningPaceIsTheProcesssNotEachLoops() throws Exception {
        List<RawWebSocket> clients = new ArrayList<>();
        try (TestServer server = new TestServer("http.eventLoops=4", "http.feedOpeningsPerSecond=1")) {
            server.vertx.eventBus().publish(Addresses.BATCH_REPORT, TestReports.batch("train", 1));
            FeedHub hub = server.verticle().feedHub();
            assertThat(eventually(() -> hub.history(TestReports.RUN_ID).last("train") == 1))
                    .isTrue();
            long start = System.nanoTime();
            try {
                for (int i = 0; i < 16; i++) {
                    clients.add(RawWebSocket.connect(server.port(), "/ws?run=" + TestReports.RUN_ID, TIMEOUT));
                }
                Thread.sleep(1500); // let each loop admit what its pace would let it
                long taken = hub.openingsTaken();
                double seconds = (System.nanoTime() - start) / 1e9;
                // a burst of 4 and then 1/s for all loops; a pace per loop would let out 16 at once
                assertThat(taken)
                        .as("openings after %.1f s at 1/s after a burst of 4", seconds)
                        .isBetween(4L, 4L + (long) Math.ceil(seconds) + 1);
            } finally {
                for (RawWebSocket client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void aReportAnOpeningAlreadyHeldIsNotSentAgainLive() throws Exception {
        try (TestServer server = new TestServer("http.eventLoops=2")) {
            for (int i = 1; i <= 30; i++) {
                server.vertx.eventBus().publish(Addresses.BATCH_REPORT, TestReports.batch("train", i));
            }
            FeedHub hub = server.verticle().feedHub();
            assertThat(eventually(() -> hub.history(TestReports.RUN_ID).last("train") == 30))
                    .isTrue();
            // the shared history ahead of a loop's live messages, as when the HTTP verticle has added a
            // report and its hand-over to this loop is still queued
            hub.history(TestReports.RUN_ID)
                    .add(TestReports.batch("train", 31), TestReports.json(TestReports.batch("train", 31)));
            try (RawWebSocket client = RawWebSocket.connect(server.port(), "/ws?run=" + TestReports.RUN_ID, TIMEOUT)) {
                assertThat(messageContaining(client, "\"type\":\"alerts\""))
                        .as("the opening")
                        .isPresent();
                server.vertx.eventBus().publish(Addresses.BATCH_REPORT, TestReports.batch("train", 31));
                server.vertx.eventBus().publish(Addresses.BATCH_REPORT, TestReports.batch("train", 32));
                List<Long> live = new ArrayList<>();
                while (!live.contains(32L)) {
                    JsonObject message = new JsonObject(client.message().orElseThrow());
                    if ("batch".equals(message.getString("type"))) {
                        live.add(message.getLong("iteration"));
                    }
                }
                assertThat(live)
                        .as("live batches after an opening that held 31")
                        .containsExactly(32L);
            }
        }
    }

    /** Reads the client's messages until one contains {@code text}; empty when the server closes. */
    private static Optional<String> messageContaining(RawWebSocket client, String text) throws Exception {
        while (true) {
            Optional<String> message = client.message();
            if (message.isEmpty() || message.get().contains(text)) {
                return message;
            }
        }
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
