package io.lossprism.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook delivery against a real local HTTP receiver: format, retries, time limits. */
class WebhookNotifierIT {

    private Vertx vertx;
    private HttpServer receiver;
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void retriesUntilTheReceiverAcceptsAndSendsAlertmanagerFormat() throws Exception {
        int port = receiver(failures -> failures < 2 ? 500 : 200);
        WebhookNotifier notifier = new WebhookNotifier(vertx, List.of("http://127.0.0.1:" + port + "/hook"), 2000, 3);
        AlertEvent event = event("firing");

        vertx.runOnContext(v -> notifier.notify(
                event,
                AlertmanagerPayload.of(event, event.timestamp(), "http://127.0.0.1:8080/")
                        .toBuffer()));

        awaitRequests(3, 15);
        assertThat(received).hasSize(3);
        JsonObject payload = received.get(2);
        assertThat(payload.getString("version")).isEqualTo("4");
        assertThat(payload.getString("status")).isEqualTo("firing");
        assertThat(payload.getString("receiver")).isEqualTo("lossprism");
        JsonObject alert = payload.getJsonArray("alerts").getJsonObject(0);
        assertThat(alert.getJsonObject("labels").getMap())
                .containsEntry("alertname", "LossPrismClassIouLagging")
                .containsEntry("class", "speck")
                .containsEntry("severity", "warning")
                .containsEntry("split", "train");
        assertThat(alert.getJsonObject("annotations").getString("runbook_url"))
                .endsWith("docs/runbook.md#lossprismclassioulagging");
        assertThat(alert.getJsonObject("annotations").getString("description")).contains("lag=0.8800");
        assertThat(alert.getString("endsAt")).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(alert.getString("startsAt")).startsWith("2026-");
        Thread.sleep(1500);
        assertThat(requests.get()).as("no request after a success").isEqualTo(3);
    }

    @Test
    void givesUpAfterTheConfiguredRetriesWhenTheReceiverHangs() throws Exception {
        int port = receiver(failures -> -1); // never answers
        WebhookNotifier notifier = new WebhookNotifier(vertx, List.of("http://127.0.0.1:" + port + "/hook"), 300, 1);
        AlertEvent event = event("resolved");
        long start = System.nanoTime();
        vertx.runOnContext(v -> notifier.notify(
                event, AlertmanagerPayload.of(event, 0, "http://x/").toBuffer()));
        awaitRequests(2, 10);
        Thread.sleep(2000);
        assertThat(requests.get()).as("one attempt and one retry").isEqualTo(2);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
    }

    @Test
    void logLinesMaskTheUserInfoOfTheUrl() throws Exception {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(WebhookNotifier.class);
        var lines = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        lines.start();
        logger.addAppender(lines);
        try {
            int port = receiver(failures -> 500);
            WebhookNotifier notifier = new WebhookNotifier(
                    vertx, List.of("http://user:s3cret@127.0.0.1:" + port + "/hook?token=abc"), 2000, 0);
            AlertEvent event = event("firing");
            vertx.runOnContext(v -> notifier.notify(
                    event, AlertmanagerPayload.of(event, 0, "http://x/").toBuffer()));
            awaitRequests(1, 10);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lines.list.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(lines.list)
                    .isNotEmpty()
                    .allSatisfy(line -> assertThat(line.getFormattedMessage())
                            .contains("url=http://***@127.0.0.1:" + port + "/hook?token=***")
                            .doesNotContain("s3cret", "abc"));
        } finally {
            logger.detachAppender(lines);
        }
    }

    private interface Policy {
        int status(int previousRequests);
    }

    private int receiver(Policy policy) throws Exception {
        receiver = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    int seen = requests.getAndIncrement();
                    received.add(body.toJsonObject());
                    int status = policy.status(seen);
                    if (status > 0) {
                        request.response().setStatusCode(status).end();
                    }
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        return receiver.actualPort();
    }

    private void awaitRequests(int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (requests.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(requests.get()).as("requests received").isGreaterThanOrEqualTo(count);
    }

    private static AlertEvent event(String to) {
        BatchReport report = new BatchReport(
                "run-1",
                BatchReport.VERSION,
                "train",
                3,
                305,
                1_795_000_000_000L,
                16,
                "dl4j",
                1.0,
                1.0,
                0.01,
                50,
                List.of());
        return new AlertEvent(
                "run-1",
                AlertEvent.VERSION,
                "LossPrismClassIouLagging",
                "speck",
                "warning",
                "train",
                "pending",
                to,
                305,
                1_795_000_000_000L,
                0.88,
                0.3,
                Map.of("lag", 0.88),
                "class speck lags",
                report);
    }
}
