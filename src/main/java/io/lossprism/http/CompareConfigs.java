package io.lossprism.http;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes runs' stored configurations comparable. A run stores only the values it was given, so a run started
 * with {@code training.loss=bce} spelled out and one that left it to the default would seem to differ. For
 * each key a run does not set, a value another run sets is filled in when it changes nothing in the run's
 * bound configuration: it is what the run has in effect. A key stays missing (null in the differences)
 * when no other run's value is the run's default.
 */
final class CompareConfigs {

    private CompareConfigs() {}

    /** The configurations with such values filled in; a run whose values no longer bind is left as stored. */
    static List<Map<String, Object>> filled(List<Map<String, Object>> configs) {
        Set<String> keys = new LinkedHashSet<>();
        configs.forEach(c -> keys.addAll(c.keySet()));
        List<Map<String, Object>> filled = new ArrayList<>(configs.size());
        for (Map<String, Object> config : configs) {
            AppConfig bound = bind(config);
            Map<String, Object> values = new LinkedHashMap<>(config);
            if (bound != null) {
                for (String key : keys) {
                    if (!config.containsKey(key)) {
                        inEffect(config, bound, key, configs).ifPresent(v -> values.put(key, v));
                    }
                }
            }
            filled.add(values);
        }
        return filled;
    }

    /** The first value another run sets for {@code key} that binds to the same configuration as leaving it out. */
    private static Optional<Object> inEffect(
            Map<String, Object> config, AppConfig bound, String key, List<Map<String, Object>> configs) {
        for (Map<String, Object> other : configs) {
            Object value = other.get(key);
            if (value == null) {
                continue;
            }
            Map<String, Object> with = new LinkedHashMap<>(config);
            with.put(key, value);
            if (bound.equals(bind(with))) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static AppConfig bind(Map<String, Object> values) {
        try {
            return ConfigLoader.fromValues(values, List.of());
        } catch (ConfigException | ClassCastException e) {
            return null;
        }
    }
}
