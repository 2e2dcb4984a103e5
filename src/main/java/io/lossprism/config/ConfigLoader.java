package io.lossprism.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link AppConfig}: schema defaults, overlaid by an optional YAML file, overlaid by
 * {@code --set key=value} overrides (later ones win), then validated. Every failure is a
 * {@link ConfigException} with a one-line message.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * defaults &lt;- optional YAML file &lt;- --set overrides (dotted key=value), validated.
     *
     * @param file a YAML file holding any subset of the keys, or null for none
     * @param overrides {@code key=value} strings; a value is read as YAML, e.g. {@code training.classes=[a,b]}
     */
    public static AppConfig load(Path file, List<String> overrides) {
        return ConfigBinder.bind(settings(file, overrides));
    }

    /**
     * The values the file and overrides set explicitly, by dotted key, as parsed from YAML (strings,
     * numbers, booleans, lists): what a run stores so that it can be rebuilt with {@link #fromValues}.
     * Validated first, so a stored set always binds.
     */
    public static Map<String, Object> explicitValues(Path file, List<String> overrides) {
        Settings settings = settings(file, overrides);
        ConfigBinder.bind(settings);
        return new LinkedHashMap<>(settings.values());
    }

    /** A configuration from stored {@link #explicitValues}, then {@code key=value} overrides. */
    public static AppConfig fromValues(Map<String, ?> values, List<String> overrides) {
        Settings settings = new Settings();
        values.forEach(settings::merge);
        apply(settings, overrides);
        return ConfigBinder.bind(settings);
    }

    /** Explicit values plus overrides, as {@link #explicitValues} returns them. */
    public static Map<String, Object> withOverrides(Map<String, ?> values, List<String> overrides) {
        Settings settings = new Settings();
        values.forEach(settings::merge);
        apply(settings, overrides);
        ConfigBinder.bind(settings);
        return new LinkedHashMap<>(settings.values());
    }

    private static Settings settings(Path file, List<String> overrides) {
        Settings settings = new Settings();
        if (file != null) {
            settings.merge("", SafeYaml.readFile(file));
        }
        apply(settings, overrides);
        return settings;
    }

    private static void apply(Settings settings, List<String> overrides) {
        for (String text : overrides == null ? List.<String>of() : overrides) {
            Assignment assignment = Assignment.parse(text);
            settings.merge(assignment.key(), SafeYaml.readValue(assignment));
        }
    }

    /** The built-in defaults, the same values config/default.yaml spells out. */
    public static AppConfig defaults() {
        return ConfigBinder.bind(new Settings());
    }
}
