package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.lossprism.testing.CapturedLog;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the server answers to malformed, oversized, misdirected and excessive requests (issue 16, items 4, 8, 11
 * and 12), and what it writes to the log meanwhile. Each test starts its own server without training.
 */
class HttpHardeningIT {

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    private List<ILoggingEvent> lines(Level atLeast) {
        return log.atLeast(atLeast);
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void malformedRequestsAreAnswered400WithABoundedLog() throws Exception {
        try (TestServer server = new TestServer("http.requestsPerSecond=10000")) {
            List<String> malformed =
                    List.of("GET /%", "GET /%zz/x", "GET /api/runs/x/reports?after=%G1", "POST /api/%");
            for (int i = 0; i < 500; i++) {
                String response = server.raw(malformed.get(i % malformed.size()) + " HTTP/1.1\r\nHost: 127.0.0.1");
                assertThat(status(response)).as(response).isEqualTo(400);
                assertThat(new JsonObject(body(response)).getString("error")).contains("malformed");
                assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
            }
            assertThat(lines(Level.WARN))
                    .as("500 malformed requests within seconds: one line per 10 s")
                    .hasSizeLessThanOrEqualTo(3)
                    .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
            for (int i = 0; i < 200; i++) {
                String response = server.raw("GET /\u0001 x HTTP/1.1\r\nBad Header\r\nHost: 127.0.0.1");
                assertThat(status(response)).as(response).isEqualTo(400);
            }
            assertThat(lines(Level.WARN)).as("and 200 broken request lines").hasSizeLessThanOrEqualTo(4);
        }
    }

    @Test
    void everyPathIsRateLimited() throws Exception {
        try (TestServer server = new TestServer("http.requestsPerSecond=5", "http.requestBurst=10")) {
            for (String path : List.of("/metrics", "/", "/style.css", "/no-such-file", "/api/nothing")) {
                int refused = 0;
                long start = System.nanoTime();
                for (int i = 0; i < 30; i++) {
                    HttpResponse<String> response = server.send("GET", path);
                    if (response.statusCode() == 429) {
                        refused++;
                        assertThat(new JsonObject(response.body()).getString("error"))
                                .contains("too many requests");
                    }
                }
                // the bucket refills while the requests go out: on a slow machine more of them are served
                double seconds = (System.nanoTime() - start) / 1e9;
                int servedAtMost = 10 + (int) Math.ceil(5 * seconds) + 1;
                assertThat(refused)
                        .as(path + ": 30 requests in %.1f s against 5/s with a burst of 10", seconds)
                        .isBetween(Math.max(1, 30 - servedAtMost), 20);
                Thread.sleep(2100); // refill the bucket
            }
        }
    }

    @Test
    void aDashboardLoadAndScrapesStayWellInsideTheDefaults() throws Exception {
        List<String> paths = new ArrayList<>(List.of(
                "/",
                "/style.css",
                "/webjars/uplot/1.6.30/dist/uPlot.min.css",
                "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
                "/api/status",
                "/api/alerts",
                "/api/runs",
                "/metrics"));
        try (Stream<Path> scripts = Files.list(Path.of("web", "js"))) {
            scripts.forEach(p -> paths.add("/js/" + p.getFileName()));
        }
        try (TestServer server = new TestServer()) {
            // two dashboard loads back to back, at once, and a scrape
            for (int load = 0; load < 2; load++) {
                for (String path : paths) {
                    assertThat(server.send("GET", path).statusCode()).as(path).isEqualTo(200);
                }
            }
            assertThat(paths.size()).as("requests of one load").isLessThan(50);
        }
    }

    @Test
    void aBodyOverTheLimitGetsTheJsonErrorAndNoErrorLine() throws Exception {
        try (TestServer server = new TestServer("http.maxRequestBytes=2048")) {
            String big = "{\"overrides\": [\"" + "x".repeat(4000) + "\"]}";
            HttpResponse<String> response = server.send(server.request("/api/runs")
                    .header("Authorization", "Bearer " + TestServer.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(big)));
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(new JsonObject(response.body()).getString("error"))
                    .isEqualTo("request body over http.maxRequestBytes (2048 bytes)");
            assertThat(lines(Level.ERROR)).isEmpty();
        }
    }

    @Test
    void aWrongMethodGets405WithAllow() throws Exception {
        try (TestServer server = new TestServer()) {
            record Case(String method, String path, String allow) {}
            for (Case c : List.of(
                    new Case("POST", "/api/status", "GET"),
                    new Case("HEAD", "/api/status", "GET"),
                    new Case("DELETE", "/api/alerts", "GET"),
                    new Case("POST", "/metrics", "GET"),
                    new Case("HEAD", "/metrics", "GET"),
                    new Case("PUT", "/api/runs", "GET, POST"),
                    new Case("PUT", "/api/runs/r1/pause", "POST"),
                    new Case("POST", "/index.html", "GET, HEAD"),
                    new Case("DELETE", "/", "GET, HEAD"))) {
                HttpResponse<String> response = server.send(c.method(), c.path());
                assertThat(response.statusCode()).as(c.toString()).isEqualTo(405);
                assertThat(response.headers().firstValue("Allow"))
                        .as(c.toString())
                        .contains(c.allow());
                if (!c.method().equals("HEAD")) {
                    assertThat(new JsonObject(response.body()).getString("error"))
                            .isEqualTo(c.method() + " is not allowed on " + c.path() + "; allowed: " + c.allow());
                }
            }
            assertThat(server.send("PUT", "/api/nothing-here").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void headWorksOnThePageAndItsFiles() throws Exception {
        try (TestServer server = new TestServer()) {
            for (String path : List.of("/", "/style.css", "/js/main.js", "/webjars/uplot/1.6.30/dist/uPlot.min.css")) {
                HttpResponse<String> head = server.send("HEAD", path);
                assertThat(head.statusCode()).as(path).isEqualTo(200);
                assertThat(head.body()).as(path).isEmpty();
            }
        }
    }

    @Test
    void everyResponseSaysNosniffAndHowToCache() throws Exception {
        try (TestServer server = new TestServer()) {
            record Case(String path, int status, String cache) {}
            for (Case c : List.of(
                    new Case("/", 200, "no-cache"),
                    new Case("/js/main.js", 200, "no-cache"),
                    new Case("/api/status", 200, "no-store"),
                    new Case("/api/runs", 200, "no-store"),
                    new Case("/api/runs/none", 404, "no-store"),
                    new Case("/api/nothing", 404, "no-store"),
                    new Case("/metrics", 200, "no-store"),
                    new Case("/missing.html", 404, null))) {
                HttpResponse<String> response = server.send("GET", c.path());
                assertThat(response.statusCode()).as(c.toString()).isEqualTo(c.status());
                assertThat(response.headers().firstValue("X-Content-Type-Options"))
                        .as(c.toString())
                        .contains("nosniff");
                if (c.cache() != null) {
                    assertThat(response.headers().firstValue("Cache-Control"))
                            .as(c.toString())
                            .contains(c.cache());
                }
            }
        }
    }

    @Test
    void onLoopbackOnlyLoopbackNamesAndListedHostsAreServed() throws Exception {
        try (TestServer server = new TestServer("http.allowedHosts=[dash.example]")) {
            int port = server.port();
            for (String host : List.of(
                    "127.0.0.1:" + port, "localhost:" + port, "LOCALHOST", "[::1]:" + port, "dash.example:" + port)) {
                String response = server.raw("GET /api/status HTTP/1.1\r\nHost: " + host);
                assertThat(status(response)).as(host).isEqualTo(200);
            }
            for (String path : List.of("/", "/api/status", "/metrics", "/api/runs", "/ws")) {
                String response = server.raw("GET " + path + " HTTP/1.1\r\nHost: evil.example:" + port
                        + "\r\nOrigin: http://evil.example:" + port);
                assertThat(status(response)).as(path).isEqualTo(403);
                assertThat(new JsonObject(body(response)).getString("error"))
                        .isEqualTo("host 'evil.example' is not served here (DNS rebinding?); list it in"
                                + " http.allowedHosts to allow it");
                assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
            }
            String upgrade = server.raw("GET /ws HTTP/1.1\r\nHost: evil.example:" + port
                    + "\r\nOrigin: http://evil.example:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13"
                    + "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
            assertThat(status(upgrade))
                    .as("the live feed behind a rebound name")
                    .isEqualTo(403);
            String own = server.raw("GET /ws HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nOrigin: http://localhost:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13"
                    + "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
            assertThat(status(own)).as("the live feed on its own page").isEqualTo(101);
        }
    }

    @Test
    void theHostIsNotCheckedWhenBoundToAllInterfacesWithoutAList() throws Exception {
        try (TestServer server = new TestServer("http.host=0.0.0.0")) {
            String response = server.raw("GET /api/status HTTP/1.1\r\nHost: lossprism.lan");
            assertThat(status(response)).isEqualTo(200);
        }
    }
}
