package io.lossprism.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One configuration key: its dotted path, its default, the rule it must satisfy (as words) and
 * the conversion from a parsed YAML value to the typed value. The factories below are the only
 * value types the configuration uses.
 *
 * @param <T> the type of the validated value
 */
final class ConfigKey<T> {

    private final String path;
    private final T defaultValue;
    private final String rule;
    private final Function<Object, Optional<T>> converter;

    private ConfigKey(String path, T defaultValue, String rule, Function<Object, Optional<T>> converter) {
        this.path = path;
        this.defaultValue = defaultValue;
        this.rule = rule;
        this.converter = converter;
    }

    String path() {
        return path;
    }

    T defaultValue() {
        return defaultValue;
    }

    /** What a valid value looks like, e.g. "an integer between 1 and 1024". */
    String rule() {
        return rule;
    }

    /** Converts a parsed YAML value (String, Number, Boolean, List, Map or null) or fails naming this key. */
    T read(Object raw) {
        return converter
                .apply(raw)
                .orElseThrow(() -> new ConfigException(path + ": must be " + rule + ", got " + ValueText.of(raw)));
    }

    @Override
    public String toString() {
        return path;
    }

    // ---- factories ------------------------------------------------------------------------------

    static ConfigKey<Integer> integer(String path, int defaultValue, int min, int max) {
        return new ConfigKey<>(
                path,
                defaultValue,
                "an integer between " + min + " and " + max,
                raw -> integral(raw).filter(v -> v >= min && v <= max).map(Long::intValue));
    }

    static ConfigKey<Integer> multipleOf(String path, int defaultValue, int step, int min, int max) {
        return new ConfigKey<>(
                path,
                defaultValue,
                "a multiple of " + step + " between " + min + " and " + max,
                raw -> integral(raw)
                        .filter(v -> v >= min && v <= max && v % step == 0)
                        .map(Long::intValue));
    }

    static ConfigKey<Long> longInteger(String path, long defaultValue) {
        return new ConfigKey<>(path, defaultValue, "a 64-bit integer", ConfigKey::integral);
    }

    /** A finite number {@literal > 0 and <= max}. */
    static ConfigKey<Double> positiveNumber(String path, double defaultValue, double max) {
        return new ConfigKey<>(
                path,
                defaultValue,
                "a number > 0 and <= " + ValueText.number(max),
                raw -> decimal(raw).filter(v -> v > 0 && v <= max));
    }

    /** A finite number between min and max, both included. */
    static ConfigKey<Double> number(String path, double defaultValue, double min, double max) {
        return new ConfigKey<>(
                path,
                defaultValue,
                "a number from " + ValueText.number(min) + " to " + ValueText.number(max),
                raw -> decimal(raw).filter(v -> v >= min && v <= max));
    }

    /** A number from 0 to 1, or the word {@code none} (read as NaN). */
    static ConfigKey<Double> fractionOrNone(String path) {
        return new ConfigKey<>(
                path,
                Double.NaN,
                "a number from 0 to 1, or none",
                raw -> "none".equals(raw)
                        ? Optional.of(Double.NaN)
                        : decimal(raw).filter(v -> v >= 0 && v <= 1));
    }

    static ConfigKey<Boolean> flag(String path, boolean defaultValue) {
        return new ConfigKey<>(
                path,
                defaultValue,
                "true or false",
                raw -> raw instanceof Boolean b ? Optional.of(b) : Optional.empty());
    }

    /** A possibly empty list of http:// or https:// URLs. */
    static ConfigKey<List<String>> urls(String path) {
        return new ConfigKey<>(path, List.of(), "a list of http:// or https:// URLs", raw -> {
            if (!(raw instanceof List<?> list)) {
                return Optional.empty();
            }
            List<String> urls = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String url) || !url.matches("https?://[^\\s]+")) {
                    return Optional.empty();
                }
                urls.add(url);
            }
            return Optional.of(List.copyOf(urls));
        });
    }

    /** A host name or an IP address to listen on: checked here, so a typo fails with the other keys. */
    static ConfigKey<String> host(String path, String defaultValue) {
        return new ConfigKey<>(
                path,
                defaultValue,
                HostNames.RULE,
                raw -> raw instanceof String s && HostNames.valid(s.strip())
                        ? Optional.of(s.strip())
                        : Optional.empty());
    }

    /** A possibly empty list of host names or IP addresses, without ports. */
    static ConfigKey<List<String>> hosts(String path) {
        return new ConfigKey<>(path, List.of(), "a list of host names or IP addresses (no ports)", raw -> {
            if (!(raw instanceof List<?> list)) {
                return Optional.empty();
            }
            List<String> hosts = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String host) || !HostNames.valid(host.strip())) {
                    return Optional.empty();
                }
                hosts.add(host.strip());
            }
            return Optional.of(List.copyOf(hosts));
        });
    }

    static ConfigKey<String> text(String path, String defaultValue) {
        return new ConfigKey<>(
                path,
                defaultValue,
                "a non-empty string",
                raw -> raw instanceof String s && !s.isBlank() ? Optional.of(s.strip()) : Optional.empty());
    }

    /** Any string, empty allowed: for optional values such as a token or a folder. */
    static ConfigKey<String> optionalText(String path, String defaultValue) {
        return new ConfigKey<>(
                path,
                defaultValue,
                "a string",
                raw -> raw == null
                        ? Optional.of("")
                        : raw instanceof String s ? Optional.of(s.strip()) : Optional.empty());
    }

    static ConfigKey<String> oneOf(String path, String defaultValue, String... allowed) {
        List<String> values = List.of(allowed);
        return new ConfigKey<>(
                path,
                defaultValue,
                "one of [" + String.join(", ", values) + "]",
                raw -> raw instanceof String s && values.contains(s) ? Optional.of(s) : Optional.empty());
    }

    static ConfigKey<Optimizer> optimizer(String path, Optimizer defaultValue) {
        List<Optimizer> values = List.of(Optimizer.values());
        String names = values.stream().map(Optimizer::yamlName).collect(Collectors.joining(", "));
        return new ConfigKey<>(
                path,
                defaultValue,
                "one of [" + names + "]",
                raw -> values.stream().filter(o -> o.yamlName().equals(raw)).findFirst());
    }

    /**
     * A list of 1..maxCount distinct names, each a string matching {@code pattern}. A number is refused like a
     * string is for a numeric key: YAML reads {@code 7} and {@code 007} as the same integer.
     */
    static ConfigKey<List<String>> names(String path, List<String> defaultValue, int maxCount, String pattern) {
        Pattern valid = Pattern.compile(pattern);
        String rule = "a list of 1 to " + maxCount + " distinct names matching " + pattern;
        return new ConfigKey<>(path, List.copyOf(defaultValue), rule, raw -> {
            if (!(raw instanceof List<?> list) || list.isEmpty() || list.size() > maxCount) {
                return Optional.empty();
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String name)) {
                    throw new ConfigException(path + "[" + i + "]: must be a name (a string), got "
                            + ValueText.of(list.get(i)) + "; write a number as a name in quotes, e.g. '7'");
                }
                if (!valid.matcher(name).matches()) {
                    return Optional.empty();
                }
                names.add(name);
            }
            return new HashSet<>(names).size() == names.size() ? Optional.of(List.copyOf(names)) : Optional.empty();
        });
    }

    /** A possibly empty list of finite numbers {@literal > 0}. */
    static ConfigKey<List<Double>> positiveNumbers(String path, List<Double> defaultValue) {
        return new ConfigKey<>(path, List.copyOf(defaultValue), "a list of finite numbers > 0", raw -> {
            if (!(raw instanceof List<?> list)) {
                return Optional.empty();
            }
            List<Double> numbers = new ArrayList<>();
            for (Object item : list) {
                Optional<Double> number = decimal(item).filter(v -> v > 0);
                if (number.isEmpty()) {
                    return Optional.empty();
                }
                numbers.add(number.get());
            }
            return Optional.of(List.copyOf(numbers));
        });
    }

    // ---- conversions ----------------------------------------------------------------------------

    /** An integer value (never a fraction or a string) that fits in a long. */
    private static Optional<Long> integral(Object raw) {
        if (raw instanceof Integer || raw instanceof Long) {
            return Optional.of(((Number) raw).longValue());
        }
        if (raw instanceof BigInteger big && big.bitLength() < Long.SIZE) {
            return Optional.of(big.longValue());
        }
        return Optional.empty();
    }

    /** Any finite number, integers included. */
    private static Optional<Double> decimal(Object raw) {
        if (raw instanceof Number number) {
            double value = number.doubleValue();
            return Double.isFinite(value) ? Optional.of(value) : Optional.empty();
        }
        return Optional.empty();
    }
}
