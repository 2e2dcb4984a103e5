package io.lossprism.config;

import io.lossprism.alert.rules.RuleKind;
import io.lossprism.alert.rules.RuleSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of one alert rule under {@code alerts.<name>}: enabled, split, threshold, hysteresis and for.
 * Defaults come from {@link RuleSettings#defaults}, the one place they are defined. The non-finite-loss
 * rule has no threshold or hysteresis.
 */
record RuleKeys(
        String name,
        RuleKind kind,
        ConfigKey<Boolean> enabled,
        ConfigKey<String> split,
        ConfigKey<Double> threshold,
        ConfigKey<Double> hysteresis,
        ConfigKey<Integer> forEvaluations) {

    static RuleKeys of(String name, RuleKind kind, double minThreshold, double maxThreshold) {
        RuleSettings defaults = RuleSettings.defaults(kind);
        String prefix = "alerts." + name + ".";
        boolean hasThreshold = kind != RuleKind.NON_FINITE_LOSS;
        return new RuleKeys(
                name,
                kind,
                ConfigKey.flag(prefix + "enabled", defaults.enabled()),
                ConfigKey.oneOf(prefix + "split", defaults.split(), "train", "validation"),
                hasThreshold
                        ? ConfigKey.number(prefix + "threshold", defaults.threshold(), minThreshold, maxThreshold)
                        : null,
                hasThreshold ? ConfigKey.number(prefix + "hysteresis", defaults.hysteresis(), 0, maxThreshold) : null,
                ConfigKey.integer(prefix + "for", defaults.forEvaluations(), 1, 1_000_000));
    }

    List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(enabled, split));
        if (threshold != null) {
            keys.add(threshold);
            keys.add(hysteresis);
        }
        keys.add(forEvaluations);
        return keys;
    }
}
