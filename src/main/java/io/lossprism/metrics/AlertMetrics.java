package io.lossprism.metrics;

import io.lossprism.bus.AlertEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code lossprism_alert_firing{alertname,class,severity}}: 1 while the app's own alert is firing, else
 * 0. Every known (alert, class) pair is registered up front so a dashboard sees 0 rather than nothing;
 * labels stay bounded by the rules and the configured classes. Alerts about the whole loss have
 * {@code class=""}.
 */
public final class AlertMetrics implements MeterBinder {

    /** An alert the app can raise: its name, severity, and whether it has one instance per class. */
    public record Known(String alertName, String severity, boolean perClass) {}

    private final List<Known> alerts;
    private final List<String> classes;
    private final Map<String, AtomicInteger> firing = new ConcurrentHashMap<>();

    public AlertMetrics(List<Known> alerts, List<String> classes) {
        this.alerts = List.copyOf(alerts);
        this.classes = List.copyOf(classes);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Known alert : alerts) {
            for (String cls : alert.perClass() ? classes : List.of("")) {
                AtomicInteger state = firing.computeIfAbsent(key(alert.alertName(), cls), k -> new AtomicInteger());
                Gauge.builder("lossprism.alert.firing", state, AtomicInteger::get)
                        .description("1 while the LossPrism alert is firing, 0 otherwise")
                        .tags("alertname", alert.alertName(), "class", cls, "severity", alert.severity())
                        .register(registry);
            }
        }
    }

    /** A new run or a rewind: the rules start over, so nothing fires. */
    public void reset() {
        firing.values().forEach(state -> state.set(0));
    }

    public void onAlert(AlertEvent event) {
        AtomicInteger state = firing.get(key(event.alertName(), event.className() == null ? "" : event.className()));
        if (state != null) {
            state.set("firing".equals(event.to()) ? 1 : 0);
        }
    }

    private static String key(String alertName, String cls) {
        return alertName + "\u0000" + cls;
    }
}
