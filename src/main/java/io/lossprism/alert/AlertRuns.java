package io.lossprism.alert;

import io.lossprism.alert.rules.AlertEngine;
import io.lossprism.alert.rules.Transition;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.AlertSnapshot;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.config.AlertsConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The alert state of every live run, each its own: rules, smoothing, active alerts and latest transitions.
 * A run's state is created with its first report after the warm-up, for the classes that report names
 * (external runs have their own classes), and dropped when the run ends. Owned by the alert verticle: not
 * thread-safe.
 */
final class AlertRuns {

    /** What one evaluation changed: the run's snapshot after it, and its transitions in order. */
    record Changes(AlertSnapshot snapshot, List<AlertEvent> events) {}

    private record RunState(AlertEngine engine, AlertLog log) {}

    private final AlertsConfig config;
    private final int history;
    private final Map<String, RunState> runs = new HashMap<>();

    /** @param history transitions kept per run */
    AlertRuns(AlertsConfig config, int history) {
        this.config = config;
        this.history = history;
    }

    /** Evaluates a report with its run's rules; empty when nothing changed (or still warming up). */
    List<AlertEvent> evaluate(BatchReport report) {
        if (report.iteration() <= config.warmupIterations()) {
            return List.of();
        }
        RunState state = runs.get(report.runId());
        if (state == null) {
            List<String> classes =
                    report.classes().stream().map(ClassReport::name).toList();
            state = new RunState(new AlertEngine(config.rules(), config.smoothing(), classes), new AlertLog(history));
            runs.put(report.runId(), state);
        }
        List<Transition> transitions = state.engine().evaluate(Observations.of(report));
        if (transitions.isEmpty()) {
            return List.of();
        }
        List<AlertEvent> events = new ArrayList<>(transitions.size());
        for (Transition t : transitions) {
            events.add(new AlertEvent(
                    report.runId(),
                    AlertEvent.VERSION,
                    t.alertName(),
                    t.className(),
                    t.severity(),
                    t.split(),
                    label(t.from()),
                    label(t.to()),
                    t.iteration(),
                    report.timestamp(),
                    t.value(),
                    t.threshold(),
                    t.evidence(),
                    t.summary(),
                    report));
        }
        state.log().record(events, state.engine().active());
        return events;
    }

    /** The run's active alerts and latest transitions; empty for a run without state. */
    AlertSnapshot snapshot(String runId) {
        RunState state = runs.get(runId);
        return state == null ? AlertSnapshot.empty(runId) : state.log().snapshot(runId);
    }

    /**
     * Forgets a run's state: it ended, or its history started over (a new run, a rewind to a checkpoint),
     * so its smoothed state belonged to a history that is gone. The next report creates it afresh.
     */
    void drop(String runId) {
        runs.remove(runId);
    }

    /** The runs that have state now. */
    Set<String> runs() {
        return Set.copyOf(runs.keySet());
    }

    private static String label(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
