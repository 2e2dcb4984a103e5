package io.lossprism.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials before a value leaves the server (API responses, log lines, the dashboard): the user
 * info of URLs ({@code http://user:pass@host/hook} becomes {@code http://***@host/hook}), query parameters
 * named like credentials ({@code ?token=***}), and the whole value of any key named like one ({@code
 * http.token}, {@code password}, {@code apiKey}, {@code secret}...). Stored values stay as they are: a run
 * resumes from them.
 */
public final class Redaction {

    public static final String MASK = "***";

    /** A key or parameter name that holds a credential: its last dotted part is checked. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(token|passw|pwd|secret|credential|api[-_]?key|private[-_]?key|auth|bearer|cookie|session).*");

    /** scheme://userinfo@ : the user info ends at the first '/', '?', '#' or space after the scheme. */
    private static final Pattern USER_INFO = Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@\\s]+@");

    private static final Pattern QUERY_PARAMETER = Pattern.compile("([?&;])([^=&#\\s]+)=([^&#\\s]*)");

    private Redaction() {}

    /** Whether {@code key} (a dotted path or a plain name) names a credential. */
    public static boolean isSecretKey(String key) {
        return SECRET_NAME.matcher(key.substring(key.lastIndexOf('.') + 1)).matches();
    }

    /** {@code text} with URL user info and credential query parameters masked. */
    public static String text(String text) {
        if (text.indexOf('@') < 0 && text.indexOf('=') < 0) {
            return text;
        }
        String masked = USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
        Matcher parameter = QUERY_PARAMETER.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (parameter.find()) {
            String replacement =
                    isSecretKey(parameter.group(2)) && !parameter.group(3).isEmpty()
                            ? parameter.group(1) + parameter.group(2) + "=" + MASK
                            : parameter.group();
            parameter.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        parameter.appendTail(out);
        return out.toString();
    }

    /** A copy of {@code values} (nested maps and lists included) with every credential masked. */
    public static Map<String, Object> map(Map<String, ?> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((key, value) -> out.put(key, value(isSecretKey(key), value)));
        return out;
    }

    private static Object value(boolean secret, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, item) ->
                    out.put(String.valueOf(key), value(secret || isSecretKey(String.valueOf(key)), item)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(value(secret, item)));
            return out;
        }
        if (value instanceof String text) {
            return secret && !text.isEmpty() ? MASK : text(text);
        }
        return secret && value != null ? MASK : value;
    }
}
