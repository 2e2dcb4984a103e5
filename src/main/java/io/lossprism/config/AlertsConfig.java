package io.lossprism.config;

import io.lossprism.alert.rules.RuleSettings;
import io.lossprism.alert.rules.Smoothing;
import java.util.List;
import java.util.Objects;

/**
 * The alert rules and where to send notifications.
 *
 * @param warmupIterations training iterations before any rule is evaluated: early on, classes learn at
 *                         different speeds and a lag is normal
 * @param smoothing        how every rule smooths its inputs, and the exported smoothed series with them
 *                         ({@code alerts.smoothing}, {@code alerts.emaAlpha}, {@code alerts.window})
 * @param rules            one settings record per rule kind, enabled or not
 * @param webhooks         URLs that receive Alertmanager-format POSTs on firing and resolution
 */
public record AlertsConfig(
        int warmupIterations,
        Smoothing smoothing,
        List<RuleSettings> rules,
        List<String> webhooks,
        int webhookTimeoutMs,
        int webhookRetries) {

    public AlertsConfig {
        Objects.requireNonNull(smoothing, "smoothing");
        rules = List.copyOf(rules);
        webhooks = List.copyOf(webhooks);
    }
}
