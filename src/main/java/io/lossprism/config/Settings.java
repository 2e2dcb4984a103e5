package io.lossprism.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raw configuration values by dotted key, layered: a later {@link #merge} of a key replaces the
 * earlier value. Nested mappings are flattened along the schema, so unknown keys and mappings
 * where a section is expected fail here; values are converted and checked only by {@link #get}.
 */
final class Settings {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /**
     * Adds a value at {@code path}: a key's value as is, or for a section (the root is "") a
     * mapping whose entries are merged below it.
     */
    void merge(String path, Object value) {
        if (ConfigSchema.key(path).isPresent()) {
            values.put(path, value);
        } else if (!ConfigSchema.isSection(path)) {
            throw ConfigSchema.unknownKey(path);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((name, inner) -> merge(path.isEmpty() ? String.valueOf(name) : path + "." + name, inner));
        } else if (value != null) { // an empty section ("monitor:" alone) simply sets nothing
            String where = path.isEmpty() ? "configuration" : path;
            throw new ConfigException(where + ": must be a mapping of keys ("
                    + String.join(", ", ConfigSchema.keysIn(path)) + "), got " + ValueText.of(value));
        }
    }

    /** The values merged so far, by dotted key, as parsed (not yet validated). */
    Map<String, Object> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** The validated value of {@code key}: the merged one if any, else the schema default. */
    <T> T get(ConfigKey<T> key) {
        return values.containsKey(key.path()) ? key.read(values.get(key.path())) : key.defaultValue();
    }
}
