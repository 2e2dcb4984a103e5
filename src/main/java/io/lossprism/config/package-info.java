/**
 * Application configuration: the schema of every configuration key (type, default, allowed
 * values), loading it from built-in defaults, an optional YAML file and {@code --set key=value}
 * overrides, validation with one-line {@link io.lossprism.config.ConfigException} messages, and
 * parsing of the command line.
 *
 * <p>The schema in {@code ConfigSchema} is the single source of defaults and constraints (for
 * each alert rule's enabled, split, threshold, hysteresis and hold it takes the defaults the rules
 * define, {@link io.lossprism.alert.rules.RuleSettings#defaults}); {@code config/default.yaml}
 * documents it and a test keeps the two identical. Values read together are bound once into one
 * record, such as the alerts' {@link io.lossprism.alert.rules.Smoothing}. {@link
 * io.lossprism.config.Redaction} masks credentials in values before anything shows them. This package is pure
 * Java: it uses SnakeYAML only and knows nothing of Vert.x or DL4J.
 */
package io.lossprism.config;
