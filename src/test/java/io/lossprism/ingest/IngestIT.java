package io.lossprism.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.lossprism.LossPrismApp;
import io.lossprism.bus.Addresses;
import io.lossprism.bus.BatchReport;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest API on a real server that trains a DL4J run at the same time: streams of batch records,
 * retries, bad records, limits, auth, unknown and finished runs, and reports stored per run.
 */
class IngestIT {

    private static final String TOKEN = "ingest-it-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int MAX_BODY = 16_384;
    private static final int MAX_DECOMPRESSED = 65_536;
    private static final int MAX_RECORDS = 50;
    private static final int MAX_LIVE = 4;

    private static LossPrismApp app;
    /** Reports seen on the bus, by convention, split and step: each must be published once. */
    private static final Map<String, AtomicInteger> PUBLISHED = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        app = TestApps.start(
                "training.imageSize=32",
                "training.batchSize=2",
                "data.trainImages=8",
                "data.validationImages=0",
                "training.epochs=1000",
                "http.token=" + TOKEN,
                "http.requestsPerSecond=10000",
                "ingest.requestsPerSecond=20",
                "ingest.maxBodyBytes=" + MAX_BODY,
                "ingest.maxDecompressedBytes=" + MAX_DECOMPRESSED,
                "ingest.maxRecordsPerRequest=" + MAX_RECORDS,
                "ingest.maxLiveRuns=" + MAX_LIVE,
                "ingest.maxClasses=8");
        app.vertx().eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> {
            BatchReport r = m.body();
            PUBLISHED
                    .computeIfAbsent(r.convention() + " " + r.split() + " " + r.iteration(), k -> new AtomicInteger())
                    .incrementAndGet();
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    // ---- helpers

    private static HttpResponse<String> send(
            String method, String path, String token, byte[] body, Map<String, String> headers) throws Exception {
        return send(app, method, path, token, body, headers);
    }

    private static HttpResponse<String> send(
            LossPrismApp target, String method, String path, String token, byte[] body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A batches request that waits out a 429 as a client would (the rate test sends its own). */
    private static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = send("POST", path, TOKEN, body, headers);
            if (response.statusCode() != 429 || attempt == 5) {
                return response;
            }
            Thread.sleep(1000
                    * Long.parseLong(
                            response.headers().firstValue("Retry-After").orElse("1")));
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null, Map.of());
    }

    private static String create(String name, List<String> classes, String loss, String convention) throws Exception {
        JsonObject body = new JsonObject()
                .put("name", name)
                .put("classes", new JsonArray(classes))
                .put("loss", loss)
                .put("convention", convention)
                .put("framework", "test");
        HttpResponse<String> created = post("/api/ingest/runs", body.encode(), Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body()).getString("id");
    }

    /** A consistent class: 16 elements (2 images of 8), {@code positives} of them positive. */
    private static JsonObject classSums(double positiveLoss, double negativeLoss, int positives, int tp, int fp) {
        return new JsonObject()
                .put("positiveLoss", positiveLoss)
                .put("negativeLoss", negativeLoss)
                .put("positives", positives)
                .put("elements", 16)
                .put("tp", tp)
                .put("fp", fp)
                .put("fn", positives - tp)
                .put("tn", 16 - positives - fp);
    }

    private static JsonObject record(long step, String split, double scale) {
        return new JsonObject()
                .put("step", step)
                .put("epoch", 0)
                .put("split", split)
                .put("images", 2)
                .put("loss", scale * (1.6 + 0.8) / 32)
                .put(
                        "classes",
                        new JsonArray()
                                .add(classSums(scale * 1.2, scale * 0.4, 4, 3, 1))
                                .add(classSums(0, scale * 0.8, 0, 0, 2)));
    }

    private static JsonArray records(long from, long to, String split, double scale) {
        JsonArray array = new JsonArray();
        for (long step = from; step <= to; step++) {
            array.add(record(step, split, scale));
        }
        return array;
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String ndjson(JsonArray records) {
        StringBuilder text = new StringBuilder();
        records.forEach(r -> text.append(((JsonObject) r).encode()).append('\n'));
        return text.toString();
    }

    private static JsonArray storedReports(String runId, String split) throws Exception {
        HttpResponse<String> response = get("/api/runs/" + runId + "/reports?split=" + split);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getJsonArray("reports");
    }

    private static JsonObject error(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return new JsonObject(response.body());
    }

    private static void finish(String runId) throws Exception {
        HttpResponse<String> finished = post("/api/ingest/runs/" + runId + "/finish", "", Map.of());
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
        assertThat(new JsonObject(finished.body()).getString("state")).isEqualTo("finished");
    }

    // ---- tests

    @Test
    void aStreamIsStoredAndPublishedOncePerStepAcrossRetriesAndEncodings() throws Exception {
        // keras-jax marks this test's reports on the bus
        String id = create("stream", List.of("road", "car"), "bce", "keras-jax");
        String batches = "/api/ingest/runs/" + id + "/batches";

        JsonArray first = records(1, 10, "train", 1);
        first.add(record(5, "validation", 2));
        HttpResponse<String> sent = post(batches, first.encode(), Map.of("Content-Type", "application/json"));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(new JsonObject(sent.body()))
                .isEqualTo(new JsonObject("{\"run\":\"" + id + "\",\"received\":11,\"stored\":11,\"duplicates\":0}"));

        // a retry of 6..10 with two new steps, as gzip NDJSON; and the whole first request again
        HttpResponse<String> retried = post(
                batches,
                gzip(ndjson(records(6, 12, "train", 1))),
                Map.of("Content-Type", "application/x-ndjson", "Content-Encoding", "gzip"));
        assertThat(new JsonObject(retried.body()).getInteger("stored"))
                .as(retried.body())
                .isEqualTo(2);
        assertThat(new JsonObject(retried.body()).getInteger("duplicates")).isEqualTo(5);
        HttpResponse<String> again = post(batches, first.encode(), Map.of());
        assertThat(new JsonObject(again.body()).getInteger("stored"))
                .as(again.body())
                .isZero();

        JsonArray train = storedReports(id, "train");
        assertThat(train.stream().map(r -> ((JsonObject) r).getLong("iteration")))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(storedReports(id, "validation")).hasSize(1);
        JsonObject report = train.getJsonObject(0);
        // keras: divided by every element of every class, 2 x 16
        JsonObject road = report.getJsonArray("classes").getJsonObject(0);
        assertThat(road.getString("name")).isEqualTo("road");
        assertThat(road.getDouble("positiveLoss")).isCloseTo(1.2 / 32, offset(1e-12));
        assertThat(road.getDouble("loss")).isCloseTo(1.6 / 32, offset(1e-12));
        assertThat(road.getDouble("iou")).isCloseTo(3.0 / 5, offset(1e-12));
        assertThat(road.getDouble("prevalence")).isCloseTo(0.25, offset(1e-12));
        assertThat(report.getDouble("loss")).isCloseTo(2.4 / 32, offset(1e-12));
        assertThat(report.getDouble("residual")).isCloseTo(0, offset(1e-12));
        assertThat(report.getString("convention")).isEqualTo("keras-jax");
        JsonObject validation = storedReports(id, "validation").getJsonObject(0);
        assertThat(validation.getDouble("loss")).isCloseTo(2 * 2.4 / 32, offset(1e-12));

        for (long step = 1; step <= 12; step++) {
            assertThat(PUBLISHED.get("keras-jax train " + step))
                    .as("step %d", step)
                    .hasValue(1);
        }
        assertThat(PUBLISHED.get("keras-jax validation 5")).hasValue(1);

        HttpResponse<String> shown = get("/api/ingest/runs/" + id);
        JsonObject run = new JsonObject(shown.body());
        assertThat(run.getString("state")).isEqualTo("running");
        assertThat(run.getLong("step")).isEqualTo(12);
        assertThat(run.getJsonObject("meta").getJsonArray("classes")).containsExactly("road", "car");
        HttpResponse<String> list = get("/api/runs");
        assertThat(list.body()).contains(id);
        finish(id);
    }

    @Test
    void badRecordsAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        String id = create("bad", List.of("a", "b"), "bce", "keras");
        String batches = "/api/ingest/runs/" + id + "/batches";
        JsonObject negative = record(2, "train", 1);
        negative.getJsonArray("classes").getJsonObject(1).put("tp", -1);
        JsonObject inconsistent = record(2, "train", 1);
        inconsistent.getJsonArray("classes").getJsonObject(0).put("tn", 99);
        JsonObject oneClass = record(2, "train", 1);
        oneClass.getJsonArray("classes").remove(1);
        JsonObject typo = record(2, "train", 1);
        typo.getJsonArray("classes").getJsonObject(0).put("positivLoss", 1);
        JsonObject noStep = record(2, "train", 1);
        noStep.remove("step");

        Map<JsonObject, String> expected = Map.of(
                negative, "records[1].classes[1].tp: must be a non-negative integer, got -1",
                inconsistent, "records[1].classes[0].tn: tp + fp + fn + tn (104) must equal elements (16)",
                oneClass, "records[1].classes: must be an array of one entry per class of the run (2), got 1",
                typo, "records[1].classes[0].positivLoss: unknown field",
                noStep, "records[1].step: required");
        for (var bad : expected.entrySet()) {
            JsonArray body = new JsonArray().add(record(1, "train", 1)).add(bad.getKey());
            JsonObject refused = error(post(batches, body.encode(), Map.of()), 400);
            assertThat(refused.getString("error")).startsWith(bad.getValue());
            assertThat(bad.getValue()).startsWith(refused.getString("field") + ":");
        }
        assertThat(error(post(batches, "[{\"step\": 1,", Map.of()), 400).getString("error"))
                .startsWith("body: not valid JSON");
        assertThat(error(post(batches, "{\"step\": 1}", Map.of()), 400).getString("error"))
                .startsWith("body: must be a JSON array");
        assertThat(error(post(batches, "{\"step\":1}\n[oops", Map.of("Content-Type", "application/x-ndjson")), 400)
                        .getString("field"))
                .isEqualTo("records[1]");
        // a record refused refuses its request: the good record before it is not stored either
        assertThat(storedReports(id, "train")).isEmpty();

        assertThat(error(
                                post(
                                        "/api/ingest/runs",
                                        "{\"name\":\"x\",\"classes\":[\"a\"],\"loss\":\"bce\"}",
                                        Map.of()),
                                400)
                        .getString("error"))
                .startsWith("convention: required");
        assertThat(error(post("/api/ingest/runs", "[1]", Map.of()), 400).getString("field"))
                .isEqualTo("body");
        finish(id);
    }

    @Test
    void limitsAreRefusedWith413And429() throws Exception {
        String id = create("limits", List.of("a", "b"), "bce", "keras");
        String batches = "/api/ingest/runs/" + id + "/batches";

        byte[] large = new byte[MAX_BODY + 1];
        java.util.Arrays.fill(large, (byte) ' ');
        JsonObject tooLarge = error(post(batches, large, Map.of()), 413);
        assertThat(tooLarge.getString("error")).contains("ingest.maxBodyBytes");
        byte[] bomb = gzip(" ".repeat(MAX_DECOMPRESSED + 1) + "[]");
        assertThat(bomb.length).isLessThan(MAX_BODY);
        assertThat(error(post(batches, bomb, Map.of("Content-Encoding", "gzip")), 413)
                        .getString("error"))
                .contains("ingest.maxDecompressedBytes");
        byte[] manyRecords = gzip(ndjson(records(1, MAX_RECORDS + 1, "train", 1)));
        assertThat(error(
                                post(
                                        batches,
                                        manyRecords,
                                        Map.of(
                                                "Content-Type", "application/x-ndjson",
                                                "Content-Encoding", "gzip")),
                                413)
                        .getString("error"))
                .contains("ingest.maxRecordsPerRequest");
        JsonArray nineClasses = new JsonArray();
        for (int c = 0; c < 9; c++) {
            nineClasses.add("c" + c);
        }
        assertThat(error(
                                post(
                                        "/api/ingest/runs",
                                        new JsonObject()
                                                .put("name", "wide")
                                                .put("classes", nineClasses)
                                                .put("loss", "bce")
                                                .put("convention", "keras")
                                                .encode(),
                                        Map.of()),
                                400)
                        .getString("error"))
                .isEqualTo("classes: at most 8 items, got 9");

        // 20 a second with bursts of 40: requests as fast as they go are refused within a few hundred
        HttpResponse<String> limited = null;
        for (int i = 0; i < 1000 && limited == null; i++) {
            HttpResponse<String> response =
                    send("POST", batches, TOKEN, "[]".getBytes(StandardCharsets.UTF_8), Map.of());
            if (response.statusCode() == 429) {
                limited = response;
            }
        }
        assertThat(limited).as("a 429 within 1000 requests").isNotNull();
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
                .isPositive();
        assertThat(error(limited, 429).getString("error")).contains("ingest.requestsPerSecond");
        finish(id);
    }

    @Test
    void writesNeedTheTokenAndUnknownOrFinishedRunsAreRefused() throws Exception {
        String body = "{\"name\":\"n\",\"classes\":[\"a\"],\"loss\":\"bce\",\"convention\":\"keras\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(error(send("POST", "/api/ingest/runs", null, bytes, Map.of()), 401)
                        .getString("error"))
                .contains("needs the control token");
        assertThat(error(send("POST", "/api/ingest/runs", TOKEN + "x", bytes, Map.of()), 401)
                        .getString("error"))
                .isEqualTo("the token is not valid");
        assertThat(send("POST", "/api/ingest/runs/x/batches", null, "[]".getBytes(StandardCharsets.UTF_8), Map.of())
                        .statusCode())
                .isEqualTo(401);
        assertThat(send("POST", "/api/ingest/runs/x/finish", null, null, Map.of())
                        .statusCode())
                .isEqualTo(401);

        JsonObject unknown = error(
                post(
                        "/api/ingest/runs/ext-nope/batches",
                        records(1, 1, "train", 1).encode(),
                        Map.of()),
                404);
        assertThat(unknown.getString("error")).isEqualTo("run: no run with id 'ext-nope'");
        assertThat(error(get("/api/ingest/runs/ext-nope"), 404).getString("error"))
                .contains("ext-nope");
        String dl4j = app.runs().currentRunId();
        assertThat(error(
                                post(
                                        "/api/ingest/runs/" + dl4j + "/batches",
                                        records(1, 1, "train", 1).encode(),
                                        Map.of()),
                                409)
                        .getString("error"))
                .contains("trained by this server");

        String id = create("finish", List.of("a", "b"), "bce", "keras");
        assertThat(post(
                                "/api/ingest/runs/" + id + "/batches",
                                records(1, 2, "train", 1).encode(),
                                Map.of())
                        .statusCode())
                .isEqualTo(200);
        finish(id);
        finish(id); // again: still finished
        assertThat(error(
                                post(
                                        "/api/ingest/runs/" + id + "/batches",
                                        records(3, 3, "train", 1).encode(),
                                        Map.of()),
                                409)
                        .getString("error"))
                .contains("has finished");
        JsonObject stored = new JsonObject(get("/api/runs/" + id).body());
        assertThat(stored.getString("state")).isEqualTo("finished");
        assertThat(stored.getLong("iteration")).isEqualTo(2);
    }

    @Test
    void liveRunsAreBoundedAndFinishingOneMakesRoom() throws Exception {
        List<String> created = new ArrayList<>();
        HttpResponse<String> refused = null;
        for (int i = 0; i <= MAX_LIVE && refused == null; i++) {
            HttpResponse<String> response = post(
                    "/api/ingest/runs",
                    "{\"name\":\"live" + i + "\",\"classes\":[\"a\"],\"loss\":\"dice\",\"convention\":\"torch\"}",
                    Map.of());
            if (response.statusCode() == 201) {
                created.add(new JsonObject(response.body()).getString("id"));
            } else {
                refused = response;
            }
        }
        assertThat(refused).as("a refusal after at most %d live runs", MAX_LIVE).isNotNull();
        assertThat(error(refused, 409).getString("error")).contains("ingest.maxLiveRuns");
        for (String id : created) {
            finish(id);
        }
        finish(create("room", List.of("a"), "bce", "keras"));
    }

    @Test
    void aDl4jRunTrainsWhileTwoExternalRunsStreamAndEachKeepsItsOwnReports() throws Exception {
        String dl4j = app.runs().currentRunId();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (storedReports(dl4j, "train").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(storedReports(dl4j, "train"))
                .as("the DL4J run stores reports")
                .isNotEmpty();

        String keras = create("keras run", List.of("road", "car"), "bce", "keras");
        String torch = create("torch run", List.of("lane", "sign"), "bce", "torch");
        for (long step = 1; step <= 3; step++) {
            assertThat(post(
                                    "/api/ingest/runs/" + keras + "/batches",
                                    records(step, step, "train", 1).encode(),
                                    Map.of())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(post(
                                    "/api/ingest/runs/" + torch + "/batches",
                                    records(step, step, "train", 3).encode(),
                                    Map.of())
                            .statusCode())
                    .isEqualTo(200);
        }
        long dl4jBefore = storedReports(dl4j, "train").size();
        while (storedReports(dl4j, "train").size() <= dl4jBefore && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }

        JsonArray kerasReports = storedReports(keras, "train");
        JsonArray torchReports = storedReports(torch, "train");
        assertThat(kerasReports).hasSize(3);
        assertThat(torchReports).hasSize(3);
        assertThat(kerasReports
                        .getJsonObject(0)
                        .getJsonArray("classes")
                        .getJsonObject(0)
                        .getString("name"))
                .isEqualTo("road");
        assertThat(torchReports
                        .getJsonObject(0)
                        .getJsonArray("classes")
                        .getJsonObject(0)
                        .getString("name"))
                .isEqualTo("lane");
        assertThat(torchReports.getJsonObject(2).getDouble("loss")).isCloseTo(3 * 2.4 / 32, offset(1e-12));
        assertThat(kerasReports.getJsonObject(2).getDouble("loss")).isCloseTo(2.4 / 32, offset(1e-12));
        JsonArray dl4jReports = storedReports(dl4j, "train");
        assertThat(dl4jReports.size()).as("the DL4J run kept training").isGreaterThan((int) dl4jBefore);
        assertThat(dl4jReports.stream().map(r -> ((JsonObject) r).getString("convention")))
                .containsOnly("dl4j");
        finish(keras);
        finish(torch);
    }

    @Test
    void aLiveExternalRunIsTakenUpAgainAfterARestartWhileTheDl4jRunResumesItsOwn() throws Exception {
        java.nio.file.Path storage = TestApps.freshStorage();
        String[] overrides = {
            "training.imageSize=32",
            "training.batchSize=2",
            "data.trainImages=8",
            "data.validationImages=0",
            "training.epochs=1000",
            "http.token=" + TOKEN
        };
        byte[] create = "{\"name\":\"restart\",\"classes\":[\"a\",\"b\"],\"loss\":\"bce\",\"convention\":\"keras\"}"
                .getBytes(StandardCharsets.UTF_8);
        String id;
        String trained;
        LossPrismApp first = TestApps.start(storage, overrides);
        try {
            trained = first.runs().currentRunId();
            HttpResponse<String> created = send(first, "POST", "/api/ingest/runs", TOKEN, create, Map.of());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            id = new JsonObject(created.body()).getString("id");
            HttpResponse<String> sent = send(
                    first,
                    "POST",
                    "/api/ingest/runs/" + id + "/batches",
                    TOKEN,
                    records(1, 2, "train", 1).encode().getBytes(StandardCharsets.UTF_8),
                    Map.of());
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        } finally {
            first.close().toCompletionStage().toCompletableFuture().get();
        }

        LossPrismApp second = TestApps.start(storage, overrides);
        try {
            // the newest run in the store is the external one: the DL4J side resumes its own run, not that
            assertThat(second.runs().currentRunId()).isEqualTo(trained);
            HttpResponse<String> more = send(
                    second,
                    "POST",
                    "/api/ingest/runs/" + id + "/batches",
                    TOKEN,
                    records(2, 3, "train", 1).encode().getBytes(StandardCharsets.UTF_8),
                    Map.of());
            assertThat(more.statusCode()).as(more.body()).isEqualTo(200);
            assertThat(new JsonObject(more.body()).getInteger("stored")).isEqualTo(1);
            assertThat(new JsonObject(more.body()).getInteger("duplicates")).isEqualTo(1);
            JsonObject shown = new JsonObject(send(second, "GET", "/api/ingest/runs/" + id, null, null, Map.of())
                    .body());
            assertThat(shown.getString("state")).isEqualTo("running");
            assertThat(shown.getLong("step")).isEqualTo(3);
        } finally {
            second.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
