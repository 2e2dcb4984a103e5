package io.lossprism.config;

import java.util.Arrays;
import java.util.List;
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
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
  }

  private static String render(Object raw) {
    if (raw == null) {
      return "an empty value";
    }
    if (raw instanceof String s) {
      return "'" + s.replaceAll("\\R", "\\\\n") + "'";
    }
    if (raw instanceof List<?> list) {
      return list.stream().map(ValueText::render).collect(Collectors.joining(", ", "[", "]"));
    }
    if (raw instanceof Map<?, ?> map) {
      return map.keySet().stream().map(String::valueOf).collect(Collectors.joining(", ", "a mapping {", "}"));
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
