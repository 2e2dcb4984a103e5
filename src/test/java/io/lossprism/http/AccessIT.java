package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.LossPrismApp;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may do what on a real server: controls need the token; reads do only with protectReads. */
class AccessIT {

    private static final String TOKEN = "access-it-token-0123456789";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LossPrismApp open;
    private static LossPrismApp locked;

    @BeforeAll
    static void start() throws Exception {
        List<String> small = List.of(
                "training.imageSize=32",
                "training.batchSize=2",
                "data.trainImages=8",
                "data.validationImages=0",
                "training.epochs=1000",
                "http.token=" + TOKEN,
                "http.maxRequestBytes=2048",
                "http.requestsPerSecond=5",
                "http.requestBurst=10");
        open = TestApps.start(small.toArray(String[]::new));
        List<String> protectedReads = new ArrayList<>(small);
        protectedReads.add("http.protectReads=true");
        locked = TestApps.start(protectedReads.toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        for (LossPrismApp app : new LossPrismApp[] {open, locked}) {
            if (app != null) {
                app.close().toCompletionStage().toCompletableFuture().get();
            }
        }
    }

    private static HttpResponse<String> send(
            LossPrismApp app, String method, String path, String token, String body, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        Thread.sleep(250); // stay under the 5 requests per second this server allows
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String runId(LossPrismApp app) {
        return app.runs().currentRunId();
    }

    @Test
    void controlsWithoutTheRightTokenAreRefused() throws Exception {
        String pause = "/api/runs/" + runId(open) + "/pause";

        HttpResponse<String> none = send(open, "POST", pause, null, null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"lossprism\"");
        assertThat(new JsonObject(none.body()).getString("error")).contains("needs the control token");
        HttpResponse<String> wrong = send(open, "POST", pause, TOKEN + "x", null, null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(wrong.body()).getString("error")).isEqualTo("the token is not valid");
        assertThat(send(open, "POST", "/api/runs", null, "{}", null).statusCode())
                .isEqualTo(401);

        HttpResponse<String> paused = send(open, "POST", pause, TOKEN, null, null);
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(new JsonObject(paused.body()).getString("state")).isEqualTo("paused");
        HttpResponse<String> resumed = send(open, "POST", "/api/runs/" + runId(open) + "/resume", TOKEN, null, null);
        assertThat(new JsonObject(resumed.body()).getString("state")).isEqualTo("training");
    }

    @Test
    void controlMessagesOverTheWebSocketNeedTheToken() throws Exception {
        var client = open.vertx().createWebSocketClient();
        var messages = new java.util.concurrent.LinkedBlockingQueue<JsonObject>();
        var socket = client.connect(open.httpPort(), "127.0.0.1", "/ws")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        try {
            socket.textMessageHandler(text -> {
                JsonObject message = new JsonObject(text);
                if ("control-result".equals(message.getString("type"))) {
                    messages.add(message);
                }
            });
            socket.writeTextMessage(new JsonObject()
                    .put("type", "control")
                    .put("action", "pause")
                    .put("requestId", "r1")
                    .encode());
            JsonObject refused = messages.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(refused).isNotNull();
            assertThat(refused.getBoolean("ok")).isFalse();
            assertThat(refused.getString("requestId")).isEqualTo("r1");
            assertThat(refused.getString("error")).contains("control token");
            socket.writeTextMessage(new JsonObject()
                    .put("type", "control")
                    .put("action", "pause")
                    .put("token", "not-the-token-at-all")
                    .put("requestId", "r2")
                    .encode());
            assertThat(messages.poll(10, java.util.concurrent.TimeUnit.SECONDS).getString("error"))
                    .isEqualTo("the token is not valid");
            assertThat(open.runs().status().state().label()).isEqualTo("training");

            socket.writeTextMessage(new JsonObject()
                    .put("type", "control")
                    .put("action", "pause")
                    .put("token", TOKEN)
                    .put("requestId", "r3")
                    .encode());
            JsonObject done = messages.poll(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(done.getBoolean("ok")).as(done.encode()).isTrue();
            assertThat(open.runs().status().state().label()).isEqualTo("paused");
            socket.writeTextMessage(new JsonObject()
                    .put("type", "control")
                    .put("action", "resume")
                    .put("token", TOKEN)
                    .put("requestId", "r4")
                    .encode());
            assertThat(messages.poll(30, java.util.concurrent.TimeUnit.SECONDS).getBoolean("ok"))
                    .isTrue();
        } finally {
            socket.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void readsAreOpenUnlessProtected() throws Exception {
        assertThat(send(open, "GET", "/api/status", null, null, null).statusCode())
                .isEqualTo(200);
        assertThat(send(open, "GET", "/metrics", null, null, null).statusCode()).isEqualTo(200);
        assertThat(send(open, "GET", "/api/runs", null, null, null).statusCode())
                .isEqualTo(200);

        assertThat(send(locked, "GET", "/api/status", null, null, null).statusCode())
                .isEqualTo(401);
        assertThat(send(locked, "GET", "/metrics", null, null, null).statusCode())
                .isEqualTo(401);
        assertThat(send(locked, "GET", "/api/runs", "wrong-token-wrong-token", null, null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(send(locked, "GET", "/ws", null, null, null).statusCode()).isEqualTo(401);
        assertThat(send(locked, "GET", "/api/status", TOKEN, null, null).statusCode())
                .isEqualTo(200);
        assertThat(send(locked, "GET", "/metrics", TOKEN, null, null).statusCode())
                .isEqualTo(200);
        assertThat(send(locked, "GET", "/", null, null, null).statusCode())
                .as("the page itself holds no data")
                .isEqualTo(200);
    }

    @Test
    void theLiveFeedRefusesPagesOfOtherOrigins() throws Exception {
        HttpResponse<String> foreign = send(open, "GET", "/ws", null, null, "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("http.allowedOrigins");
        // the same origin passes the check (and then fails the upgrade, as this is no WebSocket handshake)
        HttpResponse<String> own = send(open, "GET", "/ws", null, null, "http://127.0.0.1:" + open.httpPort());
        assertThat(own.statusCode()).isNotIn(401, 403);
    }

    @Test
    void bodiesAndRatesAreBounded() throws Exception {
        String big = "{\"overrides\": [\"" + "x".repeat(4000) + "\"]}";
        assertThat(send(open, "POST", "/api/runs", TOKEN, big, null).statusCode())
                .isEqualTo(413);
        HttpResponse<String> garbage = send(open, "POST", "/api/runs", TOKEN, "{not json", null);
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(garbage.body()).getString("error")).startsWith("body: must be a JSON object");
        assertThat(send(open, "GET", "/api/runs/no-such-run", null, null, null).statusCode())
                .isEqualTo(404);
        assertThat(send(open, "GET", "/api/nothing-here", null, null, null).statusCode())
                .isEqualTo(404);

        Thread.sleep(2500); // refill the bucket
        int refused = 0;
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.httpPort() + "/api/status"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 429) {
                refused++;
            }
        }
        assertThat(refused)
                .as("30 requests at once against 5/s with a burst of 10")
                .isBetween(15, 20);
        Thread.sleep(2500);
    }
}
