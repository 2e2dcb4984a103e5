package io.lossprism.metrics;

import static io.lossprism.metrics.Reports.cls;
import static io.lossprism.metrics.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.alert.rules.Smoothing;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.TrainingStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The LossPrism part of {@code /metrics}, byte for byte. Prometheus rules ({@code deploy/prometheus/alerts.yml}),
 * their promtool tests and the Grafana dashboard query these names and labels: a change here breaks them, so it
 * must be deliberate. On a mismatch the scrape is written to {@code target/}; copy it over the golden file only
 * when the change is meant.
 */
class MetricsScrapeGoldenTest {

    private static final String GOLDEN = "/metrics/lossprism-scrape.txt";

    @Test
    void theLossPrismSeriesOfAScrapeMatchTheGoldenFile() throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LossMetrics loss = new LossMetrics(new Smoothing(Smoothing.Method.EMA, 0.5, 50));
        loss.bindTo(registry);
        AlertMetrics alerts = new AlertMetrics(List.of(
                new AlertMetrics.Known("LossPrismClassIouLagging", "warning", true),
                new AlertMetrics.Known("LossPrismLossNotFinite", "critical", false)));
        alerts.bindTo(registry);
        alerts.addRun("run-1", List.of("disc", "speck"));

        loss.onStatus(new TrainingStatus("run-1", TrainingStatus.State.TRAINING, 1, 20, 2, 32, 12.5, "", 3));
        loss.onBatch(report(
                "train",
                1,
                cls(0, "disc", 0.5, 0.25, 0.5, 0.25, 200, 10, 50, 0.75, 0.875),
                cls(1, "speck", 0.25, 0.125, 2.0, 0.0625, 0, 0, 0, Double.NaN, Double.NaN)));
        loss.onBatch(report(
                "train",
                2,
                cls(0, "disc", 0.25, 0.125, 0.25, 0.25, 240, 5, 10, 0.875, 0.9375),
                cls(1, "speck", 0.5, 0.25, 4.0, 0.0625, 10, 20, 50, 0.125, 0.25)));
        loss.onBatch(report(
                "validation",
                2,
                cls(0, "disc", 1.0, 0.5, 1.0, 0.5, 400, 20, 80, 0.5, 0.625),
                cls(1, "speck", 0.5, 0.0, Double.NaN, 0.0, 0, 0, 0, Double.NaN, Double.NaN)));
        // a second, external run with its own class: its own series, told apart by the run label
        loss.onStatus(new TrainingStatus("ext-1", TrainingStatus.State.TRAINING, 0, 0, 1, 0, 0, "", 0));
        loss.onBatch(report("ext-1", "train", 1, cls(0, "road", 0.5, 0.25, 0.5, 0.25, 200, 10, 50, 0.75, 0.875)));
        alerts.addRun("ext-1", List.of("road"));
        alerts.onAlert(new AlertEvent(
                "run-1",
                AlertEvent.VERSION,
                "LossPrismClassIouLagging",
                "speck",
                "warning",
                "train",
                "pending",
                "firing",
                2,
                2_000,
                0.7,
                0.3,
                Map.of(),
                "speck lags",
                null));

        String actual = lossPrismLines(registry.scrape());
        String expected = golden();
        if (!actual.equals(expected)) {
            Path out = Path.of("target", "lossprism-scrape.actual.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, actual);
            assertThat(actual)
                    .as("scrape differs from %s; actual written to %s", GOLDEN, out)
                    .isEqualTo(expected);
        }
    }

    /** The sample, HELP and TYPE lines of metrics named {@code lossprism_*}, in scrape order. */
    private static String lossPrismLines(String scrape) {
        return scrape.lines()
                .filter(line -> line.startsWith("lossprism_")
                        || line.startsWith("# HELP lossprism_")
                        || line.startsWith("# TYPE lossprism_"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String golden() throws IOException {
        try (InputStream in =
                Objects.requireNonNull(MetricsScrapeGoldenTest.class.getResourceAsStream(GOLDEN), GOLDEN)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
