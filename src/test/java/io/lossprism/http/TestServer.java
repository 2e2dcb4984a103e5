package io.lossprism.http;

import io.lossprism.bus.Codecs;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.runs.LiveRuns;
import io.lossprism.runs.RunManager;
import io.lossprism.store.RunStore;
import io.lossprism.testing.TestApps;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real HTTP verticle on a free loopback port with an empty store and no training (a run manager that is
 * not deployed): for tests of what the server answers, without the cost of a run.
 */
final class TestServer implements AutoCloseable {

    static final String TOKEN = "test-server-token-0123456789";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Vertx vertx = Vertx.vertx();
    /** A folder the store creates. */
    final Path storage = TestApps.freshStorage().resolve("data");

    final RunStore store = RunStore.open(storage);
    private final HttpVerticle http;

    TestServer(String... overrides) throws Exception {
        List<String> all = new ArrayList<>(List.of("http.port=0", "http.token=" + TOKEN));
        all.addAll(List.of(overrides));
        AppConfig config = ConfigLoader.fromValues(Map.of(), all);
        Codecs.register(vertx.eventBus());
        RunManager runs = new RunManager(config, Map.of(), store, c -> {
            throw new IllegalStateException("this server trains nothing");
        });
        http = new HttpVerticle(
                config,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                AccessToken.resolve(TOKEN, storage),
                store,
                runs,
                LiveRuns.follow(vertx.eventBus()));
        vertx.deployVerticle(http).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    int port() {
        return http.port();
    }

    /** The HTTP verticle, for what tests ask of its loops. */
    HttpVerticle verticle() {
        return http;
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path));
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) as raw bytes, for
     * what HttpClient refuses to send (a malformed path, another Host); the response as text: its head, and its
     * body up to Content-Length or the end of the connection (none after a 101).
     */
    String raw(String head) throws IOException {
        String close = head.toLowerCase(Locale.ROOT).contains("\r\nconnection:") ? "" : "\r\nConnection: close";
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head + close + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            while (text.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    return text.toString();
                }
                text.append((char) b);
            }
            String lower = text.toString().toLowerCase(Locale.ROOT);
            if (lower.startsWith("http/1.1 101")) {
                return text.toString();
            }
            int at = lower.indexOf("\r\ncontent-length:");
            byte[] body;
            if (at >= 0) {
                int end = lower.indexOf("\r\n", at + 2);
                body = in.readNBytes(
                        Integer.parseInt(lower.substring(at + 17, end).strip()));
            } else {
                body = in.readAllBytes();
            }
            return text + new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the test server did not close", e);
        } finally {
            store.close();
        }
    }
}
