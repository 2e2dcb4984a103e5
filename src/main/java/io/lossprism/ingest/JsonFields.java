package io.lossprism.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed fields of one JSON object, refusing a wrong type, a value out of range or an unknown key
 * with an {@link IngestException} (400) that names the field by its path.
 */
final class JsonFields {

    /** Integers a double holds exactly: larger ones would be silently rounded. */
    static final long MAX_EXACT = 1L << 53;

    private final JsonObject object;
    private final String path;

    JsonFields(Object value, String path) {
        this.path = path;
        if (value instanceof JsonObject o) {
            this.object = o;
        } else if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            this.object = new JsonObject(map);
        } else {
            throw bad(path, "must be a JSON object");
        }
    }

    JsonObject object() {
        return object;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return object.getValue(key) != null;
    }

    /** Refuses any key not in {@code known}, naming the first one and the known keys. */
    void onlyKnown(Set<String> known) {
        for (String key : new TreeSet<>(object.fieldNames())) {
            if (!known.contains(key)) {
                String shown = key.length() > 40 ? key.substring(0, 40) + "..." : key;
                throw bad(path(shown), "unknown field; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** An integer in [min, max]; {@code fallback} when absent (null: required). */
    long integer(String key, long min, long max, Long fallback) {
        Object value = object.getValue(key);
        if (value == null) {
            if (fallback == null) {
                throw bad(path(key), "required: " + range(min, max));
            }
            return fallback;
        }
        if (value instanceof Number n && !(n instanceof BigDecimal) && !(n instanceof BigInteger)) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= min && d <= max) {
                return n.longValue();
            }
        }
        throw bad(path(key), "must be " + range(min, max) + ", got " + shown(value));
    }

    /** A finite number no smaller than {@code min}; {@code fallback} when absent (NaN: required). */
    double number(String key, double min, double fallback) {
        Object value = object.getValue(key);
        if (value == null) {
            if (Double.isNaN(fallback)) {
                throw bad(path(key), "required: a finite number >= " + min);
            }
            return fallback;
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= min) {
            return n.doubleValue();
        }
        throw bad(path(key), "must be a finite number >= " + min + ", got " + shown(value));
    }

    /** Any finite number, or NaN when absent or null. */
    double optionalNumber(String key) {
        Object value = object.getValue(key);
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw bad(path(key), "must be a finite number or null, got " + shown(value));
    }

    String text(String key, int maxLength, String fallback) {
        Object value = object.getValue(key);
        if (value == null) {
            if (fallback == null) {
                throw bad(path(key), "required: a string of 1 to " + maxLength + " characters");
            }
            return fallback;
        }
        if (value instanceof String s && !s.isBlank() && s.length() <= maxLength) {
            return s;
        }
        throw bad(path(key), "must be a string of 1 to " + maxLength + " characters, got " + shown(value));
    }

    boolean flag(String key, boolean fallback) {
        Object value = object.getValue(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw bad(path(key), "must be true or false, got " + shown(value));
    }

    /** An array of at most {@code maxSize} items, or null when absent. */
    JsonArray array(String key, int maxSize) {
        Object value = object.getValue(key);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonArray a) {
            if (a.size() > maxSize) {
                throw bad(path(key), "at most " + maxSize + " items, got " + a.size());
            }
            return a;
        }
        throw bad(path(key), "must be an array, got " + shown(value));
    }

    static IngestException bad(String path, String message) {
        return new IngestException(400, path, message);
    }

    private static String range(long min, long max) {
        if (min == 0 && max >= MAX_EXACT) {
            return "a non-negative integer";
        }
        return max >= MAX_EXACT ? "an integer >= " + min : "an integer from " + min + " to " + max;
    }

    /** A value as the error shows it: short, and never a whole nested structure. */
    static String shown(Object value) {
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray) {
            return "an array";
        }
        String text = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
