package io.lossprism.alert.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Evidence maps keep their insertion order, so that published alerts list the numbers the same way each time. */
final class Evidence {

    private Evidence() {}

    static Map<String, Double> copyOf(Map<String, Double> evidence) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    static Map<String, Double> of(String k1, double v1, String k2, double v2) {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return Collections.unmodifiableMap(map);
    }

    static Map<String, Double> of(String k1, double v1, String k2, double v2, String k3, double v3) {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        map.put(k3, v3);
        return Collections.unmodifiableMap(map);
    }
}
