package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.LossPrismApp;
import io.lossprism.bus.Addresses;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.runs.LiveRuns;
import io.lossprism.testing.TestApps;
import io.vertx.core.Future;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two live runs in one server: the DL4J run it trains, and an external run registered with {@link LiveRuns}
 * whose reports are published on the bus as the ingest API publishes them. Each client of the feed gets its
 * run's messages only, each run has its own alerts, every series on /metrics names its run, and a finished
 * run's series go after the grace period while the other run's stay.
 */
class MultiRunIT {

    private static final String EXTERNAL = "ext-keras-1";
    private static final long WAIT_SECONDS = 120;

    private final HttpClient http = HttpClient.newHttpClient();
    private LossPrismApp app;
    private WebSocketClient sockets;
    private String dl4jRun;

    @BeforeEach
    void start() throws Exception {
        app = TestApps.start(
                "training.imageSize=32",
                "training.batchSize=4",
                "data.trainImages=32",
                "data.validationImages=8",
                "training.epochs=1000",
                "metrics.finishedRunGraceSeconds=4");
        sockets = app.vertx().createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(64 * 1024 * 1024));
        assertThat(eventually(() -> getJson("/api/status").getLong("iteration") > 0))
                .as("the DL4J run trains")
                .isTrue();
        dl4jRun = app.runs().currentRunId();
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoLiveRunsHaveSeparateFeedsAlertsAndSeriesAndAFinishedRunsSeriesGoAfterTheGrace() throws Exception {
        LiveRuns live = app.liveRuns();
        live.register(EXTERNAL, "keras unet", LiveRuns.EXTERNAL);
        JsonArray listed = getJson("/api/live").getJsonArray("runs");
        assertThat(listed.stream()
                        .map(o -> ((JsonObject) o).getString("id") + "/" + ((JsonObject) o).getString("kind")))
                .containsExactlyInAnyOrder(EXTERNAL + "/external", dl4jRun + "/dl4j");
        assertThat(getJson("/api/live").getString("default"))
                .as("the live DL4J run")
                .isEqualTo(dl4jRun);

        List<JsonObject> defaultFeed = new CopyOnWriteArrayList<>();
        follow("/ws", defaultFeed);
        List<JsonObject> externalFeed = new CopyOnWriteArrayList<>();
        WebSocket externalSocket = follow("/ws?run=" + EXTERNAL, externalFeed);
        assertThat(eventually(() -> hello(defaultFeed) != null && hello(externalFeed) != null))
                .isTrue();
        assertThat(hello(defaultFeed).getJsonObject("run").getString("id")).isEqualTo(dl4jRun);
        assertThat(hello(externalFeed).getJsonObject("run").getString("id")).isEqualTo(EXTERNAL);
        assertThat(hello(externalFeed).getJsonObject("run").getString("kind")).isEqualTo("external");

        // the external run, past the 300-iteration warm-up, reports a non-finite loss: its alert fires
        for (long i = 301; i <= 305; i++) {
            app.vertx().eventBus().publish(Addresses.BATCH_REPORT, external(i, i == 305 ? Double.NaN : 0.5));
        }
        assertThat(eventually(() -> batches(externalFeed, EXTERNAL) == 5))
                .as("the external run's five batches reach its client")
                .isTrue();
        assertThat(eventually(() -> batches(defaultFeed, dl4jRun) >= 3)).isTrue();
        assertThat(eventually(() -> messages(externalFeed, "alert").size() >= 2))
                .isTrue();

        assertThat(batches(defaultFeed, EXTERNAL))
                .as("no external batch on the DL4J run's feed")
                .isZero();
        assertThat(batches(externalFeed, dl4jRun))
                .as("no DL4J batch on the external run's feed")
                .isZero();
        assertThat(messages(externalFeed, "alert"))
                .allSatisfy(a -> assertThat(a.getString("run")).isEqualTo(EXTERNAL));
        assertThat(messages(defaultFeed, "alert"))
                .noneSatisfy(a -> assertThat(a.getString("run")).isEqualTo(EXTERNAL));

        // pause, resume and stop are the DL4J run's: a client of the external run is refused, the DL4J run trains on
        externalSocket.writeTextMessage(new JsonObject()
                .put("type", "control")
                .put("action", "pause")
                .put("token", "whatever")
                .put("requestId", "r1")
                .encode());
        assertThat(eventually(() -> !messages(externalFeed, "control-result").isEmpty()))
                .isTrue();
        assertThat(messages(externalFeed, "control-result").get(0).getBoolean("ok"))
                .isFalse();
        assertThat(messages(externalFeed, "control-result").get(0).getString("error"))
                .contains("not trained by this server");
        assertThat(getJson("/api/status").getString("state")).isEqualTo("training");

        JsonObject externalAlerts = getJson("/api/alerts?run=" + EXTERNAL);
        assertThat(externalAlerts.getJsonArray("active").stream().map(a -> ((JsonObject) a).getString("alertname")))
                .containsExactly("LossPrismLossNotFinite");
        JsonObject dl4jAlerts = getJson("/api/alerts");
        assertThat(dl4jAlerts.getString("run")).isEqualTo(dl4jRun);
        assertThat(dl4jAlerts.getJsonArray("active"))
                .as("the DL4J run is still warming up")
                .isEmpty();

        String scrape = get("/metrics");
        assertThat(scrape)
                .contains("lossprism_class_loss{class=\"road\",run=\"" + EXTERNAL + "\",split=\"train\"}")
                .contains("lossprism_class_loss{class=\"speck\",run=\"" + dl4jRun + "\",split=\"train\"}")
                .contains("lossprism_alert_firing{alertname=\"LossPrismLossNotFinite\",class=\"\",run=\"" + EXTERNAL
                        + "\",severity=\"critical\"} 1.0")
                .contains("lossprism_alert_firing{alertname=\"LossPrismLossNotFinite\",class=\"\",run=\"" + dl4jRun
                        + "\",severity=\"critical\"} 0.0");
        assertThat(scrape.lines().filter(l -> l.startsWith("lossprism_")))
                .as("every LossPrism series names its run")
                .allSatisfy(l -> assertThat(l).containsAnyOf("run=\"" + EXTERNAL + "\"", "run=\"" + dl4jRun + "\""));

        live.finish(EXTERNAL);
        assertThat(eventually(() -> getJson("/api/live").getJsonArray("runs").size() == 1))
                .isTrue();
        assertThat(eventually(() -> !get("/metrics").contains("run=\"" + EXTERNAL + "\"")))
                .as("the finished run's series are removed after the grace period")
                .isTrue();
        assertThat(get("/metrics")).contains("lossprism_class_loss{class=\"speck\",run=\"" + dl4jRun + "\"");
    }

    /** A report of the external run: two classes of its own, the loss split between them. */
    private static BatchReport external(long iteration, double loss) {
        List<ClassReport> classes = List.of(
                new ClassReport(
                        0,
                        "road",
                        loss * 0.8,
                        loss * 0.5,
                        loss * 0.3,
                        0.5,
                        0.1,
                        0.4,
                        400,
                        10,
                        10,
                        580,
                        0.95,
                        0.97,
                        0.97,
                        0.97),
                new ClassReport(
                        1,
                        "car",
                        loss * 0.2,
                        loss * 0.1,
                        loss * 0.1,
                        0.4,
                        0.01,
                        0.05,
                        40,
                        5,
                        10,
                        945,
                        0.73,
                        0.84,
                        0.89,
                        0.8));
        return new BatchReport(
                EXTERNAL,
                BatchReport.VERSION,
                "train",
                0,
                iteration,
                System.currentTimeMillis(),
                8,
                "keras",
                loss,
                loss,
                loss / 1000,
                50,
                classes);
    }

    /** Connects a client that collects what it receives into {@code received}, the hello included. */
    private WebSocket follow(String path, List<JsonObject> received) throws Exception {
        ClientWebSocket socket = sockets.webSocket(); // the handler first: the hello comes at once
        socket.textMessageHandler(text -> received.add(new JsonObject(text)));
        return await(socket.connect(app.httpPort(), "127.0.0.1", path));
    }

    private static JsonObject hello(List<JsonObject> received) {
        return received.stream()
                .filter(m -> "hello".equals(m.getString("type")))
                .findFirst()
                .orElse(null);
    }

    private static List<JsonObject> messages(List<JsonObject> received, String type) {
        return received.stream().filter(m -> type.equals(m.getString("type"))).toList();
    }

    /** Batches of a run received live or in a history. */
    /**
     * The iterations of a run received, live or in a history, each once: since protocol 3 a batch that
     * comes before the client's opening history is in that history too.
     */
    private static long batches(List<JsonObject> received, String runId) {
        Set<Long> iterations = new HashSet<>();
        messages(received, "batch").stream()
                .filter(b -> runId.equals(b.getString("run")))
                .forEach(b -> iterations.add(b.getLong("iteration")));
        messages(received, "history").stream()
                .filter(h -> h.getJsonObject("last") != null
                        && runId.equals(h.getJsonObject("last").getString("run")))
                .forEach(h -> h.getJsonArray("iteration").forEach(i -> iterations.add(((Number) i).longValue())));
        return iterations.size();
    }

    private JsonObject getJson(String path) {
        return new JsonObject(get(path));
    }

    private String get(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                    .timeout(Duration.ofSeconds(30))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(path + ": " + e.getMessage(), e);
        }
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
