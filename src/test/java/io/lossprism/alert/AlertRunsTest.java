package io.lossprism.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.config.AlertsConfig;
import io.lossprism.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each run's alerts are its own: state, snapshot and lifetime. */
class AlertRunsTest {

    private final AlertsConfig config =
            ConfigLoader.load(null, List.of("alerts.warmupIterations=2")).alerts();
    private final AlertRuns runs = new AlertRuns(config, 10);

    @Test
    void aNonFiniteLossOfOneRunFiresForThatRunOnly() {
        runs.evaluate(report("dl4j-run", 3, 0.5, List.of("disc", "speck")));
        List<AlertEvent> events = runs.evaluate(report("ext-run", 3, Double.NaN, List.of("road")));

        assertThat(events).extracting(AlertEvent::to).containsExactly("pending", "firing");
        assertThat(events).allSatisfy(e -> assertThat(e.runId()).isEqualTo("ext-run"));
        assertThat(runs.snapshot("ext-run").active())
                .singleElement()
                .satisfies(a -> assertThat(a.alertName()).isEqualTo("LossPrismLossNotFinite"));
        assertThat(runs.snapshot("ext-run").runId()).isEqualTo("ext-run");
        assertThat(runs.snapshot("dl4j-run").active()).isEmpty();
        assertThat(runs.snapshot("dl4j-run").history()).isEmpty();
    }

    @Test
    void aRunGetsStateWithItsFirstReportAfterTheWarmupAndLosesItWhenDropped() {
        assertThat(runs.evaluate(report("ext-run", 2, Double.NaN, List.of("road"))))
                .isEmpty();
        assertThat(runs.runs()).as("still warming up").isEmpty();

        runs.evaluate(report("ext-run", 3, Double.NaN, List.of("road")));
        runs.evaluate(report("dl4j-run", 3, 0.5, List.of("disc")));
        assertThat(runs.runs()).containsExactlyInAnyOrder("ext-run", "dl4j-run");

        runs.drop("ext-run");

        assertThat(runs.runs()).containsExactly("dl4j-run");
        assertThat(runs.snapshot("ext-run").active()).isEmpty();
        // a dropped run starts over: the same condition fires again from inactive
        assertThat(runs.evaluate(report("ext-run", 4, Double.NaN, List.of("road"))))
                .extracting(AlertEvent::from)
                .containsExactly("inactive", "pending");
    }

    @Test
    void theRulesWatchTheClassesTheRunsReportsName() {
        // the hidden-class rule only knows classes it was created with: a class of the external run fires
        List<AlertEvent> events = new ArrayList<>();
        for (long i = 3; i < 40; i++) {
            events.addAll(runs.evaluate(hiddenClassReport("ext-run", i)));
        }
        assertThat(events).filteredOn(e -> "firing".equals(e.to())).isNotEmpty().allSatisfy(e -> {
            assertThat(e.runId()).isEqualTo("ext-run");
            assertThat(e.className()).isEqualTo("car");
        });
    }

    /** Two classes, "road" with most of the loss but no errors, "car" with all the errors and little loss. */
    private static BatchReport hiddenClassReport(String runId, long iteration) {
        List<ClassReport> classes = List.of(
                new ClassReport(0, "road", 0.9, 0.5, 0.4, 0.5, 0.1, 0.5, 1000, 0, 0, 1000, 1, 1, 1, 1),
                new ClassReport(
                        1, "car", 0.1, 0.05, 0.05, 0.05, 0.01, 0.1, 100, 500, 500, 900, 0.09, 0.17, 0.17, 0.17));
        return batch(runId, iteration, 1.0, classes);
    }

    private static BatchReport report(String runId, long iteration, double loss, List<String> names) {
        List<ClassReport> classes = new ArrayList<>();
        for (String name : names) {
            double term = loss / names.size();
            classes.add(new ClassReport(
                    classes.size(), name, term, term / 2, term / 2, 0.5, 0.1, 0.1, 10, 1, 1, 100, 0.8, 0.9, 0.9, 0.9));
        }
        return batch(runId, iteration, loss, classes);
    }

    private static BatchReport batch(String runId, long iteration, double loss, List<ClassReport> classes) {
        return new BatchReport(
                runId,
                BatchReport.VERSION,
                "train",
                0,
                iteration,
                iteration,
                16,
                "keras",
                loss,
                loss,
                loss,
                10,
                classes);
    }
}
