package io.lossprism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.testing.PrometheusText;
import io.lossprism.testing.TestApps;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole application, in process, on a tiny configuration: training to browser and Prometheus. */
class LossPrismAppIT {

    private static final List<String> CLASSES = List.of("disc", "bar", "box", "ring", "speck");
    private static LossPrismApp app;
    private static WebSocketClient wsClient;
    private static WebSocket socket;
    private static final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        app = TestApps.start(
                "training.imageSize=32",
                "training.batchSize=2",
                "data.trainImages=8",
                "data.validationImages=2",
                "training.epochs=40");
        wsClient = app.vertx().createWebSocketClient();
        socket = wsClient.connect(app.httpPort(), "127.0.0.1", "/ws")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (socket != null) {
            socket.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (app != null) {
            app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void webSocketStreamsBatchReportsWhoseClassTermsAddUpToTheLoss() throws Exception {
        JsonObject batch = next("batch");
        assertThat(batch.getInteger("version")).isEqualTo(1);
        assertThat(batch.getString("split")).isEqualTo("train");
        JsonArray classes = batch.getJsonArray("classes");
        assertThat(classes.stream().map(c -> ((JsonObject) c).getString("name")).toList())
                .isEqualTo(CLASSES);

        double loss = batch.getDouble("loss");
        double sum = 0;
        for (Object o : classes) {
            JsonObject c = (JsonObject) o;
            sum += c.getDouble("loss");
            assertThat(c.getDouble("positiveLoss") + c.getDouble("negativeLoss"))
                    .isCloseTo(c.getDouble("loss"), within(1e-9 * loss));
        }
        assertThat(sum).isCloseTo(loss, within(1e-9 * loss));
        assertThat(loss).isCloseTo(batch.getDouble("reportedLoss"), within(1e-3 * loss));
    }

    @Test
    void metricsExposeClassTermsThatSumToTheAggregate() throws Exception {
        next("batch");
        String text = get("/metrics").body();
        PrometheusText metrics = PrometheusText.parse(text);
        double aggregate = metrics.single("lossprism_loss", Map.of("split", "train"));
        double sum = 0;
        for (String name : CLASSES) {
            Map<String, String> labels = Map.of("class", name, "split", "train");
            sum += metrics.single("lossprism_class_loss", labels);
            assertThat(metrics.single("lossprism_class_prevalence_ratio", labels))
                    .isBetween(0.0, 1.0);
            assertThat(metrics.find("lossprism_class_iou_ratio", labels)).hasSize(1);
        }
        assertThat(aggregate).isPositive();
        assertThat(sum).isCloseTo(aggregate, within(1e-9 * aggregate));
        assertThat(metrics.single("lossprism_train_iterations_total", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
        assertThat(metrics.has("vertx_http_server_requests_total")).isTrue();
    }

    @Test
    void statusReportsProgressAndTrainingFinishes() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        JsonObject status;
        do {
            status = new JsonObject(get("/api/status").body());
            Thread.sleep(200);
        } while (!"finished".equals(status.getString("state")) && System.nanoTime() < deadline);
        assertThat(status.getString("state")).isEqualTo("finished");
        assertThat(status.getLong("iteration")).isEqualTo(160);
        assertThat(status.getInteger("epoch")).isEqualTo(39);
        assertThat(status.getDouble("imagesPerSecond")).isPositive();
    }

    @Test
    void dashboardAndChartLibraryAreServed() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("LossPrism").contains("uPlot");
        assertThat(get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").statusCode())
                .isEqualTo(200);
        assertThat(get("/no-such-page").statusCode()).isEqualTo(404);
    }

    private static JsonObject next(String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonObject m = messages.poll(1, TimeUnit.SECONDS);
            if (m != null && type.equals(m.getString("type"))) {
                return m;
            }
        }
        throw new AssertionError("no '" + type + "' message within 60 s");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
