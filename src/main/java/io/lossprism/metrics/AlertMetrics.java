package io.lossprism.metrics;

import io.lossprism.bus.AlertEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code lossprism_alert_firing{run,alertname,class,severity}}: 1 while the app's own alert is firing for the
 * run, else 0. Every known (alert, class) pair of a run is registered with the run's first report
 * ({@link #addRun}) so a dashboard sees 0 rather than nothing; labels stay bounded by the rules, the run's
 * classes and the runs kept (see {@link #removeRun}). Alerts about the whole loss have {@code class=""}.
 */
public final class AlertMetrics implements MeterBinder {

    /** An alert the app can raise: its name, severity, and whether it has one instance per class. */
    public record Known(String alertName, String severity, boolean perClass) {}

    /** One run's gauges, keyed by alert name and class, and their meters for removal. */
    private record RunGauges(Map<String, AtomicInteger> firing, List<Gauge> meters) {}

    private final List<Known> alerts;
    private final Map<String, RunGauges> runs = new ConcurrentHashMap<>();
    private MeterRegistry registry;

    public AlertMetrics(List<Known> alerts) {
        this.alerts = List.copyOf(alerts);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers a run's gauges, all 0, for its classes; nothing when the run has them already. */
    public void addRun(String runId, List<String> classes) {
        if (registry == null) {
            throw new IllegalStateException("bind AlertMetrics to a registry first");
        }
        runs.computeIfAbsent(runId, id -> {
            Map<String, AtomicInteger> firing = new ConcurrentHashMap<>();
            List<Gauge> meters = new ArrayList<>();
            for (Known alert : alerts) {
                for (String cls : alert.perClass() ? classes : List.of("")) {
                    AtomicInteger state = firing.computeIfAbsent(key(alert.alertName(), cls), k -> new AtomicInteger());
                    meters.add(Gauge.builder("lossprism.alert.firing", state, AtomicInteger::get)
                            .description("1 while the LossPrism alert is firing, 0 otherwise")
                            .tags("run", id, "alertname", alert.alertName(), "class", cls, "severity", alert.severity())
                            .register(registry));
                }
            }
            return new RunGauges(firing, List.copyOf(meters));
        });
    }

    /** A run started over (or rewound): its rules start over, so nothing of it fires. */
    public void reset(String runId) {
        RunGauges run = runs.get(runId);
        if (run != null) {
            run.firing().values().forEach(state -> state.set(0));
        }
    }

    /** Removes a run's series from the registry: it ended and its grace period is over. */
    public void removeRun(String runId) {
        RunGauges run = runs.remove(runId);
        if (run != null) {
            run.meters().forEach(registry::remove);
        }
    }

    public void onAlert(AlertEvent event) {
        RunGauges run = runs.get(event.runId());
        AtomicInteger state = run == null
                ? null
                : run.firing().get(key(event.alertName(), event.className() == null ? "" : event.className()));
        if (state != null) {
            state.set("firing".equals(event.to()) ? 1 : 0);
        }
    }

    private static String key(String alertName, String cls) {
        return alertName + "\u0000" + cls;
    }
}
