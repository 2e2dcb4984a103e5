package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.LossPrismApp;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run started through the control API with another loss trains that loss, stores it with the run,
 * says so in every report, and keeps it when the server restarts and resumes the run.
 */
class LossOverrideIT {

    private static final String TOKEN = "loss-override-it-token-0123";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> SMALL = List.of(
            "training.imageSize=32",
            "training.batchSize=2",
            "data.trainImages=8",
            "data.validationImages=0",
            "training.epochs=1000",
            "http.token=" + TOKEN,
            "monitor.samplesEveryIterations=0");

    @Test
    void aRunWithDiceTrainsDiceAndResumesWithIt() throws Exception {
        Path storage = TestApps.freshStorage();
        LossPrismApp app = TestApps.start(storage, SMALL.toArray(String[]::new));
        String id;
        try {
            String first = app.runs().currentRunId();
            assertThat(send(app, "POST", "/api/runs/" + first + "/stop", null).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> refused = send(app, "POST", "/api/runs", "{\"overrides\": [\"training.loss=cce\"]}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(new JsonObject(refused.body()).getString("error")).startsWith("training.loss: must be one of");

            String body = "{\"overrides\": [\"training.loss=dice\", \"training.dice=macro\","
                    + " \"training.diceSmooth=0.5\"]}";
            HttpResponse<String> created = send(app, "POST", "/api/runs", body);
            for (int i = 0; i < 20 && created.statusCode() == 409; i++) { // the stopped run may still be leaving
                Thread.sleep(500);
                created = send(app, "POST", "/api/runs", body);
            }
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            id = new JsonObject(created.body()).getString("id");

            JsonObject config =
                    new JsonObject(send(app, "GET", "/api/runs/" + id, null).body()).getJsonObject("config");
            assertThat(config.getString("training.loss")).isEqualTo("dice");
            assertThat(config.getString("training.dice")).isEqualTo("macro");
            checkReports(app, id, 2);
        } finally {
            app.close().toCompletionStage().toCompletableFuture().get();
        }

        LossPrismApp again = TestApps.start(storage, SMALL.toArray(String[]::new));
        try {
            assertThat(again.runs().currentRunId()).as("resumes the dice run").isEqualTo(id);
            checkReports(again, id, 6);
        } finally {
            again.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    /** Waits for {@code count} stored train reports; each names Dice macro, and DL4J's score is that loss. */
    private static void checkReports(LossPrismApp app, String id, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        JsonArray reports;
        do {
            Thread.sleep(500);
            reports = new JsonObject(send(app, "GET", "/api/runs/" + id + "/reports?split=train", null)
                            .body())
                    .getJsonArray("reports");
        } while (reports.size() < count && System.nanoTime() < deadline);
        assertThat(reports.size()).isGreaterThanOrEqualTo(count);
        for (int i = 0; i < reports.size(); i++) {
            JsonObject report = reports.getJsonObject(i);
            JsonObject spec = report.getJsonObject("lossSpec");
            assertThat(spec.getString("function")).isEqualTo("dice");
            assertThat(spec.getString("dice")).isEqualTo("macro");
            assertThat(spec.getDouble("smooth")).isEqualTo(0.5);
            double loss = report.getDouble("loss");
            assertThat(loss).isBetween(0.0, 1.0); // 1 - mean Dice, where BCE would be a sum over pixels
            assertThat(report.getDouble("reportedLoss")).isCloseTo(loss, within(1e-6 * loss));
        }
    }

    private static HttpResponse<String> send(LossPrismApp app, String method, String path, String body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
