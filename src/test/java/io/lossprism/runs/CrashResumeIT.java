package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.testing.CheckpointFiles;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The packaged server killed with SIGKILL at arbitrary moments, then restarted on the same storage:
 * each time it resumes the same run from its newest checkpoint, loses only the iterations after it,
 * and its stored history stays contiguous, one report per iteration, with no gap and no duplicate.
 */
class CrashResumeIT {

    private static final Path JAR = Path.of("target", "lossprism.jar");
    private static final String TOKEN = "crash-resume-test-token";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void killedAtAnyMomentItResumesFromTheLastCheckpointWithItsWholeHistory() throws Exception {
        Path storage = TestApps.freshStorage();
        int port = freePort();
        Path log = storage.resolve("server.log");
        String runId = null;
        long[] killAfter = {23, 37, 58};
        for (long target : killAfter) {
            Process server = start(storage, port, log);
            try {
                JsonObject status = await(port, s -> s.getLong("iteration") >= target, Duration.ofSeconds(120));
                runId = runId == null ? status.getString("runId") : runId;
                assertThat(status.getString("runId"))
                        .as("the same run goes on after each crash")
                        .isEqualTo(runId);
            } finally {
                server.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
                server.waitFor(30, TimeUnit.SECONDS);
            }
            long newest = CheckpointFiles.newest(storage.resolve("runs").resolve(runId));
            assertThat(newest).as("a checkpoint every 10 iterations").isGreaterThanOrEqualTo(target - 10);

            Process again = start(storage, port, log);
            try {
                JsonObject resumed = await(port, s -> "training".equals(s.getString("state")), Duration.ofSeconds(120));
                assertThat(resumed.getString("runId")).isEqualTo(runId);
                assertThat(Files.readString(log)).contains("continuing from").contains("iteration " + newest + ")");
                JsonObject paused = control(port, runId, "pause");
                assertThat(paused.getString("state")).isEqualTo("paused");
                long iteration = paused.getLong("iteration");
                assertThat(storedIterations(port, runId))
                        .as("one stored report per iteration, 1..%d", iteration)
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, iteration).boxed().toList());
                JsonObject history = trainHistory(port);
                assertThat(history.getInteger("total"))
                        .as("the dashboard's history after the restart")
                        .isEqualTo((int) iteration);
                assertThat(history.getJsonArray("iteration").getLong(0)).isEqualTo(1);
                control(port, runId, "resume");
            } finally {
                again.destroyForcibly();
                again.waitFor(30, TimeUnit.SECONDS);
            }
        }
        assertThat(listRuns(storage, port, log))
                .as("one run across all the crashes")
                .hasSize(1);
    }

    @Test
    void aGracefulStopCheckpointsTheLastIteration() throws Exception {
        Path storage = TestApps.freshStorage();
        int port = freePort();
        Path log = storage.resolve("server.log");
        Process server = start(storage, port, log);
        JsonObject status;
        try {
            status = await(port, s -> s.getLong("iteration") >= 15, Duration.ofSeconds(120));
        } finally {
            server.destroy(); // SIGTERM: the shutdown hook stops training between two batches
            assertThat(server.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        long newest = CheckpointFiles.newest(storage.resolve("runs").resolve(status.getString("runId")));
        assertThat(newest)
                .as("checkpointed at shutdown, past the interval one at 10")
                .isGreaterThan(10);
        assertThat(Files.readString(log)).contains("reason=shutdown");
    }

    private static List<JsonObject> listRuns(Path storage, int port, Path log) throws Exception {
        Process server = start(storage, port, log);
        try {
            await(port, s -> !s.getString("runId").isEmpty(), Duration.ofSeconds(120));
            JsonArray runs = get(port, "/api/runs").getJsonArray("runs");
            List<JsonObject> list = new ArrayList<>();
            runs.forEach(r -> list.add((JsonObject) r));
            return list;
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process start(Path storage, int port, Path log) throws IOException {
        assertThat(JAR).as("run 'mvn package' first").exists();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--set",
                "http.port=" + port,
                "--set",
                "storage.dir=" + storage,
                "--set",
                "http.token=" + TOKEN,
                "--set",
                "training.imageSize=32",
                "--set",
                "training.batchSize=2",
                "--set",
                "data.trainImages=16",
                "--set",
                "data.validationImages=0",
                "--set",
                "training.epochs=1000",
                "--set",
                "checkpoint.everyIterations=10",
                "--set",
                "monitor.samplesEveryIterations=0");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // SIGKILL must hit the JVM that trains: a launcher killed instead would let its child stop cleanly
        builder.environment().put("LOSSPRISM_RELAUNCH", "off");
        return builder.start();
    }

    private static JsonObject await(int port, Predicate<JsonObject> condition, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject status = get(port, "/api/status");
            if (status != null && status.getString("runId") != null && condition.test(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within " + limit);
    }

    private static List<Long> storedIterations(int port, String runId) throws Exception {
        List<Long> iterations = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonArray page = get(port, "/api/runs/" + runId + "/reports?split=train&limit=5000&after=" + after)
                    .getJsonArray("reports");
            if (page.isEmpty()) {
                return iterations;
            }
            for (Object r : page) {
                JsonObject report = (JsonObject) r;
                assertThat(report.getInteger("merged")).isEqualTo(1);
                iterations.add(report.getLong("iteration"));
            }
            after = iterations.get(iterations.size() - 1);
        }
    }

    /** The train history a dashboard gets when it connects, as the server sends it. */
    private static JsonObject trainHistory(int port) throws Exception {
        var found = new java.util.concurrent.CompletableFuture<JsonObject>();
        var listener = new java.net.http.WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public java.util.concurrent.CompletionStage<?> onText(
                    java.net.http.WebSocket socket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    JsonObject message = new JsonObject(text.toString());
                    text.setLength(0);
                    if ("history".equals(message.getString("type")) && "train".equals(message.getString("split"))) {
                        found.complete(message);
                    }
                }
                socket.request(1);
                return null;
            }
        };
        java.net.http.WebSocket socket = HTTP.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener)
                .get(10, TimeUnit.SECONDS);
        try {
            return found.get(30, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }

    private static JsonObject control(int port, String runId, String action) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs/" + runId + "/" + action))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static JsonObject get(int port, String path) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
        } catch (IOException e) {
            return null; // not up (yet)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
