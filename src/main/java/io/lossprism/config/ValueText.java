package io.lossprism.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders parsed YAML values for error messages: short, one line, strings quoted. */
final class ValueText {

    private static final int MAX_LENGTH = 80;

    private ValueText() {}

    static String of(Object raw) {
        String text = render(raw);
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 3) + "...";
    }

    /** A number without a pointless ".0": 10 rather than 10.0. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.valueOf(value);
    }

    /**
     * The text with every control and line-breaking character written as an escape: {@code \n}, {@code \t},
     * and a Unicode escape (backslash, u, four hex digits) for the others, so a message stays one line and shows
     * what the value holds.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    int type = Character.getType(c);
                    if (Character.isISOControl(c)
                            || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR
                            || type == Character.FORMAT) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    private static String render(Object raw) {
        if (raw == null) {
            return "an empty value";
        }
        if (raw instanceof String s) {
            return "'" + escape(Redaction.text(s)) + "'";
        }
        if (raw instanceof List<?> list) {
            return list.stream().map(ValueText::render).collect(Collectors.joining(", ", "[", "]"));
        }
        if (raw instanceof Map<?, ?> map) {
            return map.keySet().stream()
                    .map(key -> escape(String.valueOf(key)))
                    .collect(Collectors.joining(", ", "a mapping {", "}"));
        }
        if (raw instanceof byte[] bytes) {
            return "binary data (" + bytes.length + " bytes)";
        }
        if (raw instanceof Object[] array) {
            return render(Arrays.asList(array));
        }
        return String.valueOf(raw);
    }
}
