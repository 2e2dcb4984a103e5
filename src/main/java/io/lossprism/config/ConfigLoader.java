package io.lossprism.config;

import java.nio.file.Path;
import java.util.List;

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
    Settings settings = new Settings();
    if (file != null) {
      settings.merge("", SafeYaml.readFile(file));
    }
    for (String text : overrides == null ? List.<String>of() : overrides) {
      Assignment assignment = Assignment.parse(text);
      settings.merge(assignment.key(), SafeYaml.readValue(assignment));
    }
    return ConfigBinder.bind(settings);
  }

  /** The built-in defaults, the same values config/default.yaml spells out. */
  public static AppConfig defaults() {
    return ConfigBinder.bind(new Settings());
  }
}
