package io.lossprism.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus}, Debian package {@code prometheus}) for tests.
 *
 * <p>Listens on 127.0.0.1 and a free port, scrapes one target given by the caller every second,
 * evaluates the project's alert rules ({@code deploy/prometheus/alerts.yml}, copied next to a generated
 * configuration in a temporary directory) every second, and keeps its TSDB and its log in that
 * directory. {@link #close()} stops the process and deletes the directory. Every wait is bounded.
 *
 * <pre>{@code
 * assertThat(PrometheusServer.installed()).isTrue();
 * try (PrometheusServer prometheus = PrometheusServer.builder("127.0.0.1:" + port)
 *         .alertFor(Duration.ofSeconds(2)).start()) {
 *     JsonObject data = prometheus.query("lossprism_loss");
 *     List<PrometheusServer.Alert> alerts = prometheus.alerts();
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {

    /** Where Debian installs the server. */
    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    /** The project's rule file, relative to the Maven base directory. */
    public static final Path DEFAULT_RULES = Path.of("deploy", "prometheus", "alerts.yml");
    /** Job name of the generated scrape configuration, as in deploy/prometheus/prometheus.yml. */
    public static final String JOB = "lossprism";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern FOR_LINE = Pattern.compile("(?m)^([ \\t]*)for:[ \\t]*(\\S+)[ \\t]*$");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
    private static final int START_ATTEMPTS = 3;

    /** One alert from {@code /api/v1/alerts}: labels (alertname, severity, class, ...), state, annotations. */
    public record Alert(Map<String, String> labels, Map<String, String> annotations, String state, String value) {
        public String name() {
            return labels.get("alertname");
        }

        public boolean firing() {
            return "firing".equals(state);
        }
    }

    /** Options of {@link #start()}; obtain with {@link PrometheusServer#builder(String)}. */
    public static final class Builder {
        private final String target;
        private String metricsPath = "/metrics";
        private Path rules = DEFAULT_RULES;
        private Duration alertFor;

        private Builder(String target) {
            this.target = target;
        }

        /** Path scraped on the target; {@code /metrics} by default. */
        public Builder metricsPath(String path) {
            this.metricsPath = path;
            return this;
        }

        /** Rule file to load; {@code deploy/prometheus/alerts.yml} by default, {@code null} for none. */
        public Builder rules(Path file) {
            this.rules = file;
            return this;
        }

        /**
         * Shortens every {@code for:} of the rules that is longer than this to this, so that alerts fire
         * within seconds (keep_firing_for is left alone).
         */
        public Builder alertFor(Duration duration) {
            this.alertFor = duration;
            return this;
        }

        public PrometheusServer start() throws IOException {
            return PrometheusServer.start(this);
        }
    }

    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;
    private final URI base;
    private final HttpClient http;
    private final Thread shutdownHook;

    private PrometheusServer(Process process, Path dir, Path log, int port, HttpClient http) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.base = URI.create("http://127.0.0.1:" + port);
        this.http = http;
        this.shutdownHook = new Thread(process::destroyForcibly, "prometheus-server-kill");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Whether the Prometheus binary is there to run. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** A server that scrapes {@code target} ("host:port"). */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** A server that scrapes {@code target} ("host:port") with the project's rules unchanged. */
    public static PrometheusServer start(String target) throws IOException {
        return builder(target).start();
    }

    private static PrometheusServer start(Builder options) throws IOException {
        if (!installed()) {
            throw new IllegalStateException(BINARY + " not found: apt-get install prometheus");
        }
        Path dir = Files.createTempDirectory("lossprism-prometheus-");
        try {
            writeConfig(dir, options);
            HttpClient http =
                    HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
            IOException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freePort();
                Path log = dir.resolve("prometheus-" + attempt + ".log");
                Process process = new ProcessBuilder(
                                BINARY.toString(),
                                "--config.file=" + dir.resolve("prometheus.yml"),
                                "--storage.tsdb.path=" + dir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + port,
                                "--log.level=info")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                PrometheusServer server = new PrometheusServer(process, dir, log, port, http);
                try {
                    server.awaitReady();
                    return server;
                } catch (IOException e) {
                    server.stopProcess();
                    last = e;
                    // Another process took the port between freePort() and bind(): try another one.
                    if (!tail(log, 4000).contains("address already in use")) {
                        break;
                    }
                }
            }
            throw last;
        } catch (IOException | RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    private static void writeConfig(Path dir, Builder options) throws IOException {
        StringBuilder config = new StringBuilder()
                .append("global:\n")
                .append("  scrape_interval: 1s\n")
                .append("  scrape_timeout: 1s\n")
                .append("  evaluation_interval: 1s\n");
        if (options.rules != null) {
            String rules = Files.readString(options.rules);
            if (options.alertFor != null) {
                rules = shortenFor(rules, options.alertFor);
            }
            Files.writeString(dir.resolve("alerts.yml"), rules);
            config.append("rule_files:\n  - alerts.yml\n");
        }
        config.append("scrape_configs:\n")
                .append("  - job_name: ")
                .append(JOB)
                .append('\n')
                .append("    metrics_path: ")
                .append(quote(options.metricsPath))
                .append('\n')
                .append("    static_configs:\n")
                .append("      - targets: [")
                .append(quote(options.target))
                .append("]\n");
        Files.writeString(dir.resolve("prometheus.yml"), config.toString());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/-/ready"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with status " + process.exitValue()
                        + " before it was ready; log tail:\n" + tail(log, 4000));
            }
            try {
                HttpResponse<Void> response = http.send(ready, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for prometheus", e);
            }
            sleep(100);
        }
        throw new IOException("prometheus not ready within " + START_TIMEOUT.toSeconds() + " s on port " + port
                + "; log tail:\n" + tail(log, 4000));
    }

    /** The server's base address, e.g. {@code http://127.0.0.1:41234}. */
    public URI uri() {
        return base;
    }

    public int port() {
        return port;
    }

    /** The server's log (stdout and stderr). */
    public Path log() {
        return log;
    }

    /** The last {@code chars} characters of the log. */
    public String logTail(int chars) {
        return tail(log, chars);
    }

    /**
     * An instant query at the current time. Returns the response's {@code data} object:
     * {@code resultType} and {@code result} (for a vector, an array of {@code {metric, value: [t, "v"]}}).
     */
    public JsonObject query(String promql) {
        JsonObject body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return body.getJsonObject("data");
    }

    /** The samples of an instant vector query as label set to value (NaN, +Inf parsed as such). */
    public Map<Map<String, String>, Double> queryVector(String promql) {
        JsonObject data = query(promql);
        if (!"vector".equals(data.getString("resultType"))) {
            throw new IllegalStateException("not a vector: " + data.encode());
        }
        Map<Map<String, String>, Double> samples = new LinkedHashMap<>();
        for (Object o : data.getJsonArray("result")) {
            JsonObject sample = (JsonObject) o;
            samples.put(
                    strings(sample.getJsonObject("metric")),
                    Double.parseDouble(sample.getJsonArray("value").getString(1)));
        }
        return samples;
    }

    /** Active alerts (pending and firing) from {@code /api/v1/alerts}. */
    public List<Alert> alerts() {
        JsonArray array = get("/api/v1/alerts").getJsonObject("data").getJsonArray("alerts");
        List<Alert> alerts = new ArrayList<>();
        for (Object o : array) {
            JsonObject a = (JsonObject) o;
            alerts.add(new Alert(
                    strings(a.getJsonObject("labels")),
                    strings(a.getJsonObject("annotations")),
                    a.getString("state"),
                    a.getString("value")));
        }
        return alerts;
    }

    /**
     * Polls {@link #alerts()} every 250 ms until {@code condition} holds, and returns that list.
     *
     * @throws AssertionError with the last list and the log tail when {@code timeout} passes first
     */
    public List<Alert> awaitAlerts(Predicate<List<Alert>> condition, Duration timeout) {
        return await(this::alerts, condition, timeout, "alerts");
    }

    /** Polls {@link #queryVector(String)} every 250 ms until {@code condition} holds, and returns the samples. */
    public Map<Map<String, String>, Double> awaitVector(
            String promql, Predicate<Map<Map<String, String>, Double>> condition, Duration timeout) {
        return await(() -> queryVector(promql), condition, timeout, promql);
    }

    private <T> T await(java.util.function.Supplier<T> read, Predicate<T> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            last = read.get();
            if (condition.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition on " + what + " not met within " + timeout.toSeconds()
                        + " s; last: " + last + "\nprometheus log tail:\n" + logTail(3000));
            }
            sleep(250);
        }
    }

    private JsonObject get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonObject body = new JsonObject(response.body());
            if (response.statusCode() != 200 || !"success".equals(body.getString("status"))) {
                throw new IllegalStateException(
                        "GET " + pathAndQuery + ": HTTP " + response.statusCode() + " " + response.body());
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "GET " + pathAndQuery + " failed; prometheus log tail:\n" + logTail(3000), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Map<String, String> strings(JsonObject object) {
        Map<String, String> map = new LinkedHashMap<>();
        if (object != null) {
            object.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return map;
    }

    /** Stops the process (SIGTERM, then SIGKILL after 5 s) and deletes the temporary directory. */
    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
        deleteRecursively(dir);
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file, int chars) {
        try {
            if (!Files.exists(file)) {
                return "(no log)";
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover file in /tmp is not worth failing a test for
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort, as above
        }
    }

    /** Rule text with every {@code for:} longer than {@code max} set to {@code max}. */
    static String shortenFor(String rules, Duration max) {
        Matcher m = FOR_LINE.matcher(rules);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Duration current = parseDuration(m.group(2));
            String value = current != null && current.compareTo(max) <= 0 ? m.group(2) : max.toMillis() + "ms";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "for: " + value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A Prometheus duration such as 30s, 1m, 1h30m or 500ms; null when it is not one. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        case "d" -> Duration.ofDays(n);
                        case "w" -> Duration.ofDays(7 * n);
                        default -> Duration.ofDays(365 * n);
                    });
            end = m.end();
        }
        return end == text.length() && end > 0 ? total : null;
    }
}
