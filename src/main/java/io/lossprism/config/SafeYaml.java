package io.lossprism.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses configuration YAML into plain values (String, Integer, Long, BigInteger, Double,
 * Boolean, List, Map, null) and nothing else: no object construction, a size limit, no duplicate
 * keys, few aliases. Plain scalars follow the YAML 1.2 core schema, so only true/false are
 * booleans (a class named {@code no} stays a string) and there are no octal or sexagesimal
 * numbers and no timestamps.
 */
final class SafeYaml {

    /** The largest configuration file read, in bytes (and characters). */
    static final int MAX_SIZE = 1 << 20;

    private SafeYaml() {}

    /** Reads a configuration file whose top level is a mapping; an empty file gives an empty map. */
    static Map<?, ?> readFile(Path file) {
        String name = "config file '" + file + "'";
        String text;
        try {
            if (!Files.exists(file)) {
                throw new ConfigException(name + " not found");
            }
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(name + " is not a regular file");
            }
            long size = Files.size(file);
            if (size > MAX_SIZE) {
                throw new ConfigException(name + " is too large: " + size + " bytes, at most " + MAX_SIZE + " allowed");
            }
            text = Files.readString(file);
        } catch (MalformedInputException e) {
            throw new ConfigException(name + " is not valid UTF-8 text", e);
        } catch (IOException | SecurityException e) {
            String reason = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
            throw new ConfigException(
                    "cannot read " + name + ": " + e.getClass().getSimpleName() + reason, e);
        }
        Object document = parse(text, name + " is not valid YAML");
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException(name + " must hold a mapping of configuration keys (such as 'training:'), got "
                    + ValueText.of(document));
        }
        return map;
    }

    /** Parses the value of a {@code --set key=value}: a scalar or flow collection such as {@code [a, b]}. */
    static Object readValue(Assignment assignment) {
        return parse(assignment.value(), "--set " + assignment.text() + ": value is not valid YAML");
    }

    private static Object parse(String text, String failure) {
        try {
            return yaml().load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String where =
                    mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
            throw new ConfigException(failure + ": " + e.getProblem() + where, e);
        } catch (YAMLException e) {
            throw new ConfigException(failure + ": " + e.getMessage(), e);
        }
    }

    /** A new parser each time: SnakeYAML instances are not thread-safe. */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_SIZE);
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(20);
        DumperOptions dumperOptions = new DumperOptions();
        return new Yaml(
                new SafeConstructor(options),
                new Representer(dumperOptions),
                dumperOptions,
                options,
                new CoreSchemaResolver());
    }

    /** Implicit types of the YAML 1.2 core schema instead of SnakeYAML's YAML 1.1 defaults. */
    private static final class CoreSchemaResolver extends Resolver {

        private static final Pattern BOOLEAN = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern INTEGER = Pattern.compile("^[-+]?(?:0|[1-9][0-9]*)$");
        private static final Pattern DECIMAL =
                Pattern.compile("^(?:[-+]?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
                        + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOLEAN, "tTfF");
            addImplicitResolver(Tag.INT, INTEGER, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, DECIMAL, "-+0123456789.");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
