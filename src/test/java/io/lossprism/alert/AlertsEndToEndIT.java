package io.lossprism.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.LossPrismApp;
import io.lossprism.testing.PrometheusServer;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed question end to end: the app trains on the synthetic data whose rare class (speck) stays
 * at IoU ~0 while the others learn; the IoU-lag alert fires for speck and for no other class, in the
 * app (API, WebSocket, webhook) and in a real Prometheus evaluating deploy/prometheus/alerts.yml.
 */
class AlertsEndToEndIT {

    private static final String LAG = "LossPrismClassIouLagging";
    private static final Duration TRAINING_LIMIT = Duration.ofMinutes(6);

    private static LossPrismApp app;
    private static PrometheusServer prometheus;
    private static WebSocketClient wsClient;
    private static WebSocket socket;
    private static final List<JsonObject> alertMessages = new CopyOnWriteArrayList<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        assertThat(PrometheusServer.installed())
                .as("prometheus installed (.ci/run installs it)")
                .isTrue();
        app = TestApps.start("training.epochs=1000", "monitor.validationEveryIterations=0");
        wsClient = app.vertx().createWebSocketClient();
        socket = wsClient.connect(app.httpPort(), "127.0.0.1", "/ws")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        socket.textMessageHandler(text -> {
            JsonObject message = new JsonObject(text);
            if ("alert".equals(message.getString("type"))) {
                alertMessages.add(message);
            }
        });
        prometheus = PrometheusServer.builder("127.0.0.1:" + app.httpPort())
                .alertFor(Duration.ofSeconds(2))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (socket != null) {
            socket.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (app != null) {
            app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void rareClassLagAlertFiresForItAloneInTheAppAndInPrometheus() throws Exception {
        JsonObject firing = awaitAppAlert(LAG, "speck");
        assertThat(firing.getString("severity")).isEqualTo("warning");
        assertThat(firing.getJsonObject("evidence").fieldNames()).contains("classIou", "othersMeanIou", "lag");

        List<PrometheusServer.Alert> promAlerts = prometheus.awaitAlerts(
                alerts -> alerts.stream()
                        .anyMatch(a -> a.name().equals(LAG)
                                && a.firing()
                                && "speck".equals(a.labels().get("class"))),
                Duration.ofSeconds(90));
        assertThat(promAlerts.stream()
                        .filter(a -> a.name().equals(LAG))
                        .map(a -> a.labels().get("class")))
                .containsOnly("speck");

        JsonObject alerts = get("/api/alerts");
        for (Object o : alerts.getJsonArray("history")) {
            JsonObject event = (JsonObject) o;
            if (LAG.equals(event.getString("alertname"))) {
                assertThat(event.getString("class")).as("IoU-lag transitions").isEqualTo("speck");
            }
        }

        // the gauge Prometheus scrapes says the same
        PrometheusText metrics = PrometheusText.parse(getText("/metrics"));
        for (String cls : List.of("disc", "bar", "box", "ring", "speck")) {
            assertThat(metrics.single("lossprism_alert_firing", Map.of("alertname", LAG, "class", cls)))
                    .as("lossprism_alert_firing for %s", cls)
                    .isEqualTo(cls.equals("speck") ? 1.0 : 0.0);
        }

        // the WebSocket carried the transition with its evidence and the decomposition at that moment
        JsonObject pushed = alertMessages.stream()
                .filter(m -> LAG.equals(m.getString("alertname")) && "firing".equals(m.getString("to")))
                .findFirst()
                .orElseThrow();
        assertThat(pushed.getString("class")).isEqualTo("speck");
        JsonArray classes = pushed.getJsonObject("decomposition").getJsonArray("classes");
        assertThat(classes).hasSize(5);
        assertThat(alertMessages)
                .noneMatch(m -> LAG.equals(m.getString("alertname")) && !"speck".equals(m.getString("class")));
    }

    private static JsonObject awaitAppAlert(String alertName, String cls) throws Exception {
        long deadline = System.nanoTime() + TRAINING_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Object o : get("/api/alerts").getJsonArray("active")) {
                JsonObject a = (JsonObject) o;
                if (alertName.equals(a.getString("alertname"))
                        && cls.equals(a.getString("class"))
                        && "firing".equals(a.getString("state"))) {
                    return a;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(alertName + " did not fire for " + cls + " within " + TRAINING_LIMIT + "; status "
                + get("/api/status"));
    }

    private static JsonObject get(String path) throws Exception {
        return new JsonObject(getText(path));
    }

    private static String getText(String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
