package io.lossprism.compare;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The configuration keys whose values differ between runs: what changed from one run to the next, without
 * the dozens of keys they share. Configurations are flat maps of dotted keys (as runs store them) to values
 * parsed from YAML or JSON. A key one run does not set is null for it. Numbers are equal when their values
 * are ({@code 1} and {@code 1.0}); lists and maps compare element by element.
 */
public final class ConfigDifferences {

    private ConfigDifferences() {}

    /**
     * Each key that some runs set differently, sorted, with every run's value in the order of
     * {@code configs} (null where a run does not set it).
     */
    public static SortedMap<String, List<Object>> of(List<? extends Map<String, ?>> configs) {
        SortedMap<String, List<Object>> differences = new TreeMap<>();
        for (Map<String, ?> config : configs) {
            for (String key : config.keySet()) {
                if (differences.containsKey(key)) {
                    continue;
                }
                List<Object> values = new ArrayList<>(configs.size());
                configs.forEach(c -> values.add(c.get(key)));
                if (!allSame(values)) {
                    differences.put(key, Collections.unmodifiableList(values));
                }
            }
        }
        return Collections.unmodifiableSortedMap(differences);
    }

    private static boolean allSame(List<Object> values) {
        for (Object value : values.subList(1, values.size())) {
            if (!same(values.get(0), value)) {
                return false;
            }
        }
        return true;
    }

    /** Equality of configuration values: numbers by value, lists and maps element by element. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!same(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.keySet().equals(y.keySet())
                    && x.entrySet().stream().allMatch(e -> same(e.getValue(), y.get(e.getKey())));
        }
        return Objects.equals(a, b);
    }
}
