package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.LossPrismApp;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The runs view's and compare view's API on a real server with two short real runs (32 px, a small U-Net):
 * the first finishes after 4 iterations with plain BCE, the second trains bce_dice and is paused in memory. Then the
 * list, PATCH, compare and DELETE are checked against what {@code /api/runs/{id}/reports} serves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunsCompareIT {

    private static final String TOKEN = "runs-compare-it-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration LIMIT = Duration.ofSeconds(300);
    /** 4 training images, batch 2, 2 epochs. */
    private static final long FIRST_ITERATIONS = 4;

    private static Path storage;
    private static LossPrismApp app;
    private static String first;
    private static String second;

    @BeforeAll
    static void twoRuns() throws Exception {
        storage = TestApps.freshStorage();
        app = TestApps.start(
                storage,
                "training.imageSize=32",
                "training.batchSize=2",
                "model.depth=2",
                "model.baseFilters=4",
                "data.trainImages=4",
                "data.validationImages=2",
                "monitor.validationEveryIterations=2",
                "monitor.samplesEveryIterations=0",
                "checkpoint.everyIterations=2",
                "training.epochs=2",
                "http.token=" + TOKEN,
                "http.requestsPerSecond=1000");
        first = app.runs().currentRunId();
        awaitRun(first, run -> "finished".equals(run.getString("state")));

        HttpResponse<String> started = send(
                "POST", "/api/runs", TOKEN, "{\"overrides\": [\"training.epochs=1000\", \"training.loss=bce_dice\"]}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        second = new JsonObject(started.body()).getString("id");
        // past the first run's last iteration (4), so that 4 is the latest both reported
        awaitRun(second, run -> trainReports(run) >= FIRST_ITERATIONS + 1);
        HttpResponse<String> paused = send("POST", "/api/runs/" + second + "/pause", TOKEN, null);
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    }

    private static long trainReports(JsonObject run) {
        return run.getJsonObject("reports").getJsonObject("train").getLong("iterations");
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void theListCarriesWhatTheRunsViewShows() throws Exception {
        JsonObject list = json(send("GET", "/api/runs", null, null), 200);
        assertThat(list.getString("current")).isEqualTo(second);
        JsonObject one = find(list.getJsonArray("runs"), first);
        JsonObject two = find(list.getJsonArray("runs"), second);

        assertThat(one.getString("state")).isEqualTo("finished");
        assertThat(one.getLong("iteration")).isEqualTo(FIRST_ITERATIONS);
        assertThat(one.getString("kind")).isEqualTo("dl4j");
        assertThat(one.getLong("createdAt")).isPositive().isLessThanOrEqualTo(one.getLong("updatedAt"));
        assertThat(one.getJsonObject("loss").getString("function")).isEqualTo("bce");
        assertThat(two.getJsonObject("loss").getString("function")).isEqualTo("bce_dice");
        assertThat(two.getJsonObject("loss").getString("dice")).isEqualTo("micro");
        assertThat(one.getJsonObject("model").getString("source")).isEqualTo("unet");
        for (JsonObject run : List.of(one, two)) {
            for (String split : List.of("train", "validation")) {
                JsonObject latest = run.getJsonObject("latest").getJsonObject(split);
                assertThat(latest).as(split).isNotNull();
                JsonObject report = reportAt(run.getString("id"), split, latest.getLong("iteration"));
                assertThat(lastIteration(run.getString("id"), split)).isEqualTo(latest.getLong("iteration"));
                JsonArray classes = latest.getJsonArray("classes");
                assertThat(classes).hasSize(5);
                for (int c = 0; c < classes.size(); c++) {
                    JsonObject expected = report.getJsonArray("classes").getJsonObject(c);
                    assertThat(classes.getJsonObject(c).getMap())
                            .containsEntry("name", expected.getString("name"))
                            .containsEntry("iou", expected.getValue("iou"))
                            .containsEntry("dice", expected.getValue("dice"));
                }
            }
            JsonArray alerts = json(send("GET", "/api/runs/" + run.getString("id") + "/alerts", null, null), 200)
                    .getJsonArray("alerts");
            long fired = alerts.stream()
                    .filter(a -> "firing".equals(((JsonObject) a).getString("to")))
                    .count();
            assertThat(run.getLong("alertCount")).isEqualTo(fired);
        }
    }

    @Test
    void patchNamesARunWithTheTokenAndRefusesBadFieldsByName() throws Exception {
        String path = "/api/runs/" + first;
        assertThat(send("PATCH", path, null, "{\"name\": \"x\"}").statusCode()).isEqualTo(401);
        HttpResponse<String> bad = send("PATCH", path, TOKEN, "{\"name\": \"a\\u0007b\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(bad.body()).getString("error")).startsWith("name: control characters");
        assertThat(new JsonObject(send("PATCH", path, TOKEN, "{\"colour\": 1}").body()).getString("error"))
                .startsWith("colour: unknown field");
        assertThat(send("PATCH", "/api/runs/no-such-run", TOKEN, "{\"name\": \"x\"}")
                        .statusCode())
                .isEqualTo(404);

        JsonObject patched =
                json(send("PATCH", path, TOKEN, "{\"name\": \"baseline\", \"notes\": \"plain BCE\\nseed\"}"), 200);
        assertThat(patched.getString("name")).isEqualTo("baseline");
        json(send("PATCH", path, TOKEN, "{\"name\": \"baseline bce\"}"), 200);

        JsonObject shown = json(send("GET", path, null, null), 200);
        assertThat(shown.getString("name")).isEqualTo("baseline bce");
        assertThat(shown.getString("notes")).isEqualTo("plain BCE\nseed");
        JsonObject listed = find(json(send("GET", "/api/runs", null, null), 200).getJsonArray("runs"), first);
        assertThat(listed.getString("notes")).isEqualTo("plain BCE\nseed");
    }

    @Test
    void compareServesEachRunsClassesAtTheLatestCommonIterationAsTheReportsHaveThem() throws Exception {
        for (String split : List.of("train", "validation")) {
            JsonObject compare =
                    json(send("GET", "/api/compare?runs=" + first + "," + second + "&split=" + split, null, null), 200);
            long common = compare.getLong("latestCommonIteration");
            assertThat(common).as(split).isEqualTo(lastIteration(first, split));
            assertThat(compare.getLong("at")).isEqualTo(common);
            JsonArray axis = compare.getJsonArray("iterations");
            int atAxis = indexOf(axis, common);
            assertThat(atAxis).isNotNegative();

            JsonArray runs = compare.getJsonArray("runs");
            assertThat(runs).hasSize(2);
            for (int r = 0; r < 2; r++) {
                JsonObject run = runs.getJsonObject(r);
                String id = r == 0 ? first : second;
                assertThat(run.getString("id")).isEqualTo(id);
                assertThat(run.getLong("latestIteration")).isEqualTo(lastIteration(id, split));
                JsonObject report = reportAt(id, split, common);
                JsonObject at = run.getJsonObject("at");
                assertThat(at.getLong("iteration")).isEqualTo(common);
                assertThat(at.getValue("loss")).isEqualTo(report.getValue("loss"));
                JsonArray series = run.getJsonObject("series").getJsonArray("classes");
                for (int c = 0; c < 5; c++) {
                    JsonObject expected = report.getJsonArray("classes").getJsonObject(c);
                    JsonObject actual = at.getJsonArray("classes").getJsonObject(c);
                    assertThat(actual.getString("name")).isEqualTo(expected.getString("name"));
                    assertThat(series.getJsonObject(c).getString("name")).isEqualTo(expected.getString("name"));
                    for (String metric : List.of("iou", "dice", "loss")) {
                        assertThat(actual.getValue(metric)).as(metric).isEqualTo(expected.getValue(metric));
                        assertThat(series.getJsonObject(c).getJsonArray(metric).getValue(atAxis))
                                .as("series " + metric)
                                .isEqualTo(expected.getValue(metric));
                        assertThat(series.getJsonObject(c).getJsonArray(metric)).hasSize(axis.size());
                    }
                }
            }
            JsonObject differences = compare.getJsonObject("configDifferences");
            assertThat(differences.fieldNames()).containsExactlyInAnyOrder("training.epochs", "training.loss");
            assertThat(differences.getJsonArray("training.epochs").stream().toList())
                    .containsExactly(2, 1000);
            assertThat(differences.getJsonArray("training.loss").stream().toList())
                    .containsExactly(null, "bce_dice");
            assertThat(runs.getJsonObject(1).getJsonObject("config").getString("training.loss"))
                    .isEqualTo("bce_dice");
        }
    }

    @Test
    void compareRefusesBadRequestsNamingTheParameterOrTheId() throws Exception {
        HttpResponse<String> one = send("GET", "/api/compare?runs=" + first, null, null);
        assertThat(one.statusCode()).isEqualTo(400);
        assertThat(error(one)).startsWith("runs: ");
        HttpResponse<String> seven = send("GET", "/api/compare?runs=a,b,c,d,e,f,g", null, null);
        assertThat(seven.statusCode()).isEqualTo(400);
        assertThat(error(seven)).contains("got 7");
        HttpResponse<String> split = send("GET", "/api/compare?runs=" + first + "," + second + "&split=x", null, null);
        assertThat(split.statusCode()).isEqualTo(400);
        assertThat(error(split)).startsWith("split: ");
        HttpResponse<String> unknown = send("GET", "/api/compare?runs=" + first + ",run-nope", null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(error(unknown)).contains("run-nope");
    }

    /** Last, as it deletes both runs. */
    @Test
    @Order(Integer.MAX_VALUE)
    void deleteRefusesTheLiveRunAndRemovesAStoppedOnesRowsAndCheckpointsOnly() throws Exception {
        Path firstDir = storage.resolve("runs").resolve(first);
        Path secondDir = storage.resolve("runs").resolve(second);
        assertThat(firstDir).isDirectory();
        assertThat(secondDir).isDirectory();

        assertThat(send("DELETE", "/api/runs/" + first, null, null).statusCode())
                .isEqualTo(401);
        assertThat(send("DELETE", "/api/runs/run-nope", TOKEN, null).statusCode())
                .isEqualTo(404);
        HttpResponse<String> live = send("DELETE", "/api/runs/" + second, TOKEN, null);
        assertThat(live.statusCode()).isEqualTo(409);
        assertThat(error(live)).contains("paused", "stop it");
        assertThat(secondDir).isDirectory();

        json(send("DELETE", "/api/runs/" + first, TOKEN, null), 200);
        assertThat(firstDir).doesNotExist();
        assertThat(secondDir).isDirectory();
        assertThat(send("GET", "/api/runs/" + first, null, null).statusCode()).isEqualTo(404);
        assertThat(app.history().reportRows(first, "train")).isZero();
        assertThat(app.history().alerts(first, 10)).isEmpty();
        assertThat(json(send("GET", "/api/runs", null, null), 200).getJsonArray("runs"))
                .extracting(r -> ((JsonObject) r).getString("id"))
                .containsExactly(second);

        json(send("POST", "/api/runs/" + second + "/stop", TOKEN, null), 200);
        json(send("DELETE", "/api/runs/" + second, TOKEN, null), 200);
        assertThat(secondDir).doesNotExist();
        assertThat(storage.resolve("runs")).isDirectory();
        assertThat(Files.exists(storage.resolve("lossprism.db"))).isTrue();
    }

    // ---- helpers

    /** Where {@code iteration} is on an axis of iterations (JSON numbers of any width), or -1. */
    static int indexOf(JsonArray axis, long iteration) {
        for (int i = 0; i < axis.size(); i++) {
            if (axis.getLong(i) == iteration) {
                return i;
            }
        }
        return -1;
    }

    private static JsonObject reportAt(String id, String split, long iteration) throws Exception {
        JsonArray reports = json(
                        send(
                                "GET",
                                "/api/runs/" + id + "/reports?split=" + split + "&after=" + (iteration - 1)
                                        + "&limit=1",
                                null,
                                null),
                        200)
                .getJsonArray("reports");
        assertThat(reports).hasSize(1);
        JsonObject report = reports.getJsonObject(0);
        assertThat(report.getLong("iteration")).isEqualTo(iteration);
        return report;
    }

    /** The last stored iteration of a split, read through the reports API. */
    private static long lastIteration(String id, String split) throws Exception {
        JsonArray reports = json(
                        send("GET", "/api/runs/" + id + "/reports?split=" + split + "&limit=5000", null, null), 200)
                .getJsonArray("reports");
        return reports.getJsonObject(reports.size() - 1).getLong("iteration");
    }

    private static JsonObject find(JsonArray runs, String id) {
        return runs.stream()
                .map(JsonObject.class::cast)
                .filter(r -> id.equals(r.getString("id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("run " + id + " not listed in " + runs.encode()));
    }

    private static void awaitRun(String id, Predicate<JsonObject> condition) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonObject run = json(send("GET", "/api/runs/" + id, null, null), 200);
        while (!condition.test(run)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run " + id + " not there within " + LIMIT + ": " + run.encode());
            }
            Thread.sleep(100);
            run = json(send("GET", "/api/runs/" + id, null, null), 200);
        }
    }

    private static String error(HttpResponse<String> response) {
        return new JsonObject(response.body()).getString("error");
    }

    private static JsonObject json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return new JsonObject(response.body());
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
