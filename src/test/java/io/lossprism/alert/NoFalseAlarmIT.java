package io.lossprism.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.LossPrismApp;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With every class about equally easy (data.balanced), a run of 480 iterations, 180 of them past the
 * warm-up, raises no class alert: not pending long enough to fire, not firing, with the shipped rules.
 */
class NoFalseAlarmIT {

    @Test
    void balancedRunFiresNoClassAlert() throws Exception {
        LossPrismApp app =
                TestApps.start("data.balanced=true", "training.epochs=15", "monitor.validationEveryIterations=0");
        try {
            JsonObject status = awaitFinished(app);
            assertThat(status.getLong("iteration")).isEqualTo(480);
            JsonObject alerts = get(app, "/api/alerts");
            assertThat(alerts.getJsonArray("history").stream()
                            .map(o -> (JsonObject) o)
                            .filter(e -> "firing".equals(e.getString("to")))
                            .map(e -> e.getString("alertname") + " " + e.getString("class") + " @"
                                    + e.getLong("iteration") + ": " + e.getString("summary")))
                    .as("alerts that fired")
                    .isEmpty();
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static JsonObject awaitFinished(LossPrismApp app) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        JsonObject status;
        do {
            Thread.sleep(1000);
            status = get(app, "/api/status");
        } while (!"finished".equals(status.getString("state")) && System.nanoTime() < deadline);
        assertThat(status.getString("state")).isEqualTo("finished");
        return status;
    }

    private static JsonObject get(LossPrismApp app, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body());
    }
}
