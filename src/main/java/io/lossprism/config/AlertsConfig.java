package io.lossprism.config;

import io.lossprism.alert.rules.RuleKind;
import io.lossprism.alert.rules.RuleSettings;
import java.util.List;

/**
 * The alert rules and where to send notifications.
 *
 * @param warmupIterations training iterations before any rule is evaluated: early on, classes learn at
 *                         different speeds and a lag is normal
 * @param rules            one settings record per rule kind, enabled or not
 * @param webhooks         URLs that receive Alertmanager-format POSTs on firing and resolution
 */
public record AlertsConfig(int warmupIterations, List<RuleSettings> rules, List<String> webhooks,
                           int webhookTimeoutMs, int webhookRetries) {

  public AlertsConfig {
    rules = List.copyOf(rules);
    webhooks = List.copyOf(webhooks);
  }

  /** The EMA weight every rule smooths with ({@code alerts.emaAlpha}). */
  public double emaAlpha() {
    return rules.isEmpty() ? RuleSettings.defaults(RuleKind.IOU_LAG).emaAlpha()
        : rules.get(0).emaAlpha();
  }
}
