package io.lossprism.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Smoke test of {@link PrometheusServer} and of deploy/prometheus/alerts.yml in a real Prometheus:
 * a fixed exposition in which speck's smoothed IoU lags (the seed question) is scraped, queried,
 * and raises LossPrismClassIouLagging for speck on train only. Fails where Prometheus is not installed:
 * .ci/run installs it.
 */
@Timeout(60)
class PrometheusServerIT {

    /**
     * Four classes near 95%, speck at 23% on train; on validation speck is undefined (NaN). The iteration
     * counter, appended per scrape, is past the rules' warm-up and grows (training is not stalled).
     */
    private static final String EXPOSITION = """
            # HELP lossprism_loss Aggregate loss of the last batch
            # TYPE lossprism_loss gauge
            lossprism_loss{split="train"} 0.0123
            lossprism_loss{split="validation"} 0.0150
            # HELP lossprism_class_iou_smoothed_ratio Smoothed IoU of the class
            # TYPE lossprism_class_iou_smoothed_ratio gauge
            lossprism_class_iou_smoothed_ratio{class="disc",split="train"} 0.95
            lossprism_class_iou_smoothed_ratio{class="bar",split="train"} 0.96
            lossprism_class_iou_smoothed_ratio{class="box",split="train"} 0.95
            lossprism_class_iou_smoothed_ratio{class="ring",split="train"} 0.94
            lossprism_class_iou_smoothed_ratio{class="speck",split="train"} 0.23
            lossprism_class_iou_smoothed_ratio{class="disc",split="validation"} 0.93
            lossprism_class_iou_smoothed_ratio{class="bar",split="validation"} 0.94
            lossprism_class_iou_smoothed_ratio{class="box",split="validation"} 0.92
            lossprism_class_iou_smoothed_ratio{class="ring",split="validation"} 0.93
            lossprism_class_iou_smoothed_ratio{class="speck",split="validation"} NaN
            # HELP lossprism_train_iterations_total Training iterations (batches) completed
            # TYPE lossprism_train_iterations_total counter
            """;

    private final AtomicLong scrapes = new AtomicLong();
    private HttpServer target;
    private PrometheusServer prometheus;

    @BeforeEach
    void start() throws Exception {
        assertThat(PrometheusServer.installed())
                .as("prometheus installed (apt-get install prometheus)")
                .isTrue();
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/metrics", exchange -> {
            long iterations = 1000 + 10 * scrapes.incrementAndGet();
            byte[] body = (EXPOSITION + "lossprism_train_iterations_total " + iterations + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        target.start();
        prometheus = PrometheusServer.builder("127.0.0.1:" + target.getAddress().getPort())
                .alertFor(Duration.ofSeconds(2))
                .start();
    }

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (target != null) {
            target.stop(0);
        }
    }

    @Test
    void scrapesTheTargetAndRaisesTheIouLagAlertForSpeckOnly() {
        Map<Map<String, String>, Double> loss = prometheus.awaitVector(
                "lossprism_loss{split=\"train\"}", samples -> !samples.isEmpty(), Duration.ofSeconds(20));
        assertThat(loss).hasSize(1);
        Map.Entry<Map<String, String>, Double> sample =
                loss.entrySet().iterator().next();
        assertThat(sample.getValue()).isEqualTo(0.0123);
        assertThat(sample.getKey()).containsEntry("job", PrometheusServer.JOB).containsEntry("split", "train");

        List<PrometheusServer.Alert> alerts = prometheus.awaitAlerts(
                list -> list.stream().anyMatch(PrometheusServer.Alert::firing), Duration.ofSeconds(30));

        assertThat(alerts)
                .filteredOn(PrometheusServer.Alert::firing)
                .singleElement()
                .satisfies(alert -> {
                    assertThat(alert.name()).isEqualTo("LossPrismClassIouLagging");
                    assertThat(alert.labels())
                            .containsEntry("class", "speck")
                            .containsEntry("split", "train")
                            .containsEntry("severity", "warning");
                    assertThat(Double.parseDouble(alert.value())).isCloseTo(0.72, offset(1e-9));
                    assertThat(alert.annotations().get("description")).contains("speck on train is 23%");
                    assertThat(alert.annotations().get("runbook_url"))
                            .endsWith("docs/runbook.md#lossprismclassioulagging");
                });
        // nothing else is even pending: the NaN class on validation neither fires nor breaks the others
        assertThat(alerts).hasSize(1);
    }
}
