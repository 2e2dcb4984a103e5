package io.lossprism.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.AlertEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertMetricsTest {

    private SimpleMeterRegistry registry;
    private AlertMetrics metrics;

    @BeforeEach
    void bind() {
        registry = new SimpleMeterRegistry();
        metrics = new AlertMetrics(List.of(
                new AlertMetrics.Known("LossPrismClassIouLagging", "warning", true),
                new AlertMetrics.Known("LossPrismLossNotFinite", "critical", false)));
        metrics.bindTo(registry);
        metrics.addRun("run-1", List.of("disc", "speck"));
    }

    private static AlertEvent event(String alertName, String className, String from, String to) {
        return event("run-1", alertName, className, from, to);
    }

    private static AlertEvent event(String runId, String alertName, String className, String from, String to) {
        return new AlertEvent(
                runId,
                AlertEvent.VERSION,
                alertName,
                className,
                "warning",
                "train",
                from,
                to,
                5,
                5_000,
                0.5,
                0.3,
                Map.of(),
                "",
                null);
    }

    private double firing(String alertName, String className) {
        return firing("run-1", alertName, className);
    }

    private double firing(String runId, String alertName, String className) {
        return registry.get("lossprism.alert.firing")
                .tags("run", runId, "alertname", alertName, "class", className)
                .gauge()
                .value();
    }

    @Test
    void everyKnownPairOfARunIsZeroBeforeAnyAlert() {
        assertThat(registry.find("lossprism.alert.firing").gauges())
                .extracting(Meter::getId)
                .extracting(id -> id.getTag("alertname") + "/" + id.getTag("class") + "/" + id.getTag("severity"))
                .containsExactlyInAnyOrder(
                        "LossPrismClassIouLagging/disc/warning",
                        "LossPrismClassIouLagging/speck/warning",
                        "LossPrismLossNotFinite//critical");
        assertThat(registry.find("lossprism.alert.firing").gauges())
                .allSatisfy(g -> assertThat(g.value()).isZero());
    }

    @Test
    void oneWhileFiringZeroOnceResolved() {
        metrics.onAlert(event("LossPrismClassIouLagging", "speck", "inactive", "pending"));
        assertThat(firing("LossPrismClassIouLagging", "speck")).isZero();

        metrics.onAlert(event("LossPrismClassIouLagging", "speck", "pending", "firing"));
        assertThat(firing("LossPrismClassIouLagging", "speck")).isEqualTo(1);
        assertThat(firing("LossPrismClassIouLagging", "disc")).isZero();

        metrics.onAlert(event("LossPrismClassIouLagging", "speck", "firing", "resolved"));
        assertThat(firing("LossPrismClassIouLagging", "speck")).isZero();
    }

    @Test
    void anAlertAboutTheWholeLossHasAnEmptyClass() {
        metrics.onAlert(event("LossPrismLossNotFinite", null, "pending", "firing"));

        assertThat(firing("LossPrismLossNotFinite", "")).isEqualTo(1);
    }

    @Test
    void resetClearsEveryFiringAlert() {
        metrics.onAlert(event("LossPrismClassIouLagging", "disc", "pending", "firing"));
        metrics.onAlert(event("LossPrismLossNotFinite", null, "pending", "firing"));

        metrics.reset("run-1");

        assertThat(registry.find("lossprism.alert.firing").gauges())
                .allSatisfy(g -> assertThat(g.value()).isZero());
    }

    @Test
    void eachRunHasItsOwnSeriesWithItsOwnClassesAndRemovingOneLeavesTheOther() {
        metrics.addRun("run-2", List.of("road"));
        metrics.onAlert(event("run-2", "LossPrismClassIouLagging", "road", "pending", "firing"));

        assertThat(firing("run-2", "LossPrismClassIouLagging", "road")).isEqualTo(1);
        assertThat(firing("run-1", "LossPrismClassIouLagging", "disc")).isZero();
        assertThat(registry.find("lossprism.alert.firing").tag("run", "run-2").gauges())
                .hasSize(2); // iou lag for road, and the whole-loss alert

        metrics.removeRun("run-2");

        assertThat(registry.find("lossprism.alert.firing").tag("run", "run-2").gauges())
                .isEmpty();
        assertThat(registry.find("lossprism.alert.firing").gauges()).hasSize(3);
    }

    @Test
    void anAlertOfARunWithoutSeriesAddsNone() {
        metrics.onAlert(event("run-9", "LossPrismLossNotFinite", null, "pending", "firing"));

        assertThat(registry.find("lossprism.alert.firing").tag("run", "run-9").gauges())
                .isEmpty();
    }

    @Test
    void anUnknownAlertOrClassAddsNoSeries() {
        metrics.onAlert(event("SomethingElse", "speck", "pending", "firing"));
        metrics.onAlert(event("LossPrismClassIouLagging", "mystery", "pending", "firing"));

        assertThat(registry.find("lossprism.alert.firing").gauges())
                .hasSize(3)
                .allSatisfy(g -> assertThat(g.value()).isZero());
    }
}
