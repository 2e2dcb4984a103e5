package io.lossprism.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard {@code deploy/grafana/dashboards/lossprism.json} as the tests read it: its
 * panels (row panels' nested panels included), template variables and every PromQL expression in it,
 * and Grafana's variable substitution.
 */
final class GrafanaDashboard {

    static final Path FILE = Path.of("deploy", "grafana", "dashboards", "lossprism.json");

    /** Where a query comes from: a panel target, a template variable or an annotation. */
    enum Kind {
        PANEL,
        VARIABLE,
        ANNOTATION
    }

    /** One query of the dashboard; {@code where} names its panel, variable or annotation for messages. */
    record Query(Kind kind, String where, String expr) {}

    /** {@code label_values(metric, label)}, Grafana's variable query for a label's values. */
    static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\(\\s*(.+?)\\s*,\\s*(\\w+)\\s*\\)\\s*$", Pattern.DOTALL);

    // $name, ${name}, ${name:format}, [[name]], [[name:format]]
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?}|\\[\\[(\\w+)(?::[^]]*)?]]|\\$(\\w+)");

    private final JsonObject json;

    private GrafanaDashboard(JsonObject json) {
        this.json = json;
    }

    /** Parses the dashboard; fails with the parser's message if the file is not valid JSON. */
    static GrafanaDashboard load(Path file) throws IOException {
        return new GrafanaDashboard(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
    }

    static GrafanaDashboard load() throws IOException {
        return load(FILE);
    }

    JsonObject json() {
        return json;
    }

    /** Every panel, rows and the panels nested in (collapsed) rows included. */
    List<JsonObject> panels() {
        List<JsonObject> all = new ArrayList<>();
        for (JsonObject panel : objects(json.getJsonArray("panels"))) {
            all.add(panel);
            all.addAll(objects(panel.getJsonArray("panels")));
        }
        return all;
    }

    /** The panels that query a datasource (all but rows and text panels). */
    List<JsonObject> queryPanels() {
        return panels().stream()
                .filter(p -> !p.getJsonArray("targets", new JsonArray()).isEmpty())
                .toList();
    }

    List<JsonObject> variables() {
        return objects(json.getJsonObject("templating", new JsonObject()).getJsonArray("list"));
    }

    JsonObject variable(String name) {
        return variables().stream()
                .filter(v -> name.equals(v.getString("name")))
                .findFirst()
                .orElse(null);
    }

    List<JsonObject> annotations() {
        return objects(json.getJsonObject("annotations", new JsonObject()).getJsonArray("list"));
    }

    /** A query variable's query text, whether stored as a string or as {@code {"query": ...}}. */
    static String variableQuery(JsonObject variable) {
        Object query = variable.getValue("query");
        if (query instanceof JsonObject object) {
            return object.getString("query");
        }
        return query == null ? null : query.toString();
    }

    /** Every PromQL expression (or Grafana variable query) of the dashboard, in file order. */
    List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonObject panel : panels()) {
            for (JsonObject target : objects(panel.getJsonArray("targets"))) {
                String expr = target.getString("expr");
                if (expr != null) {
                    queries.add(new Query(
                            Kind.PANEL,
                            "panel " + panel.getValue("id") + " '" + panel.getString("title") + "' target "
                                    + target.getString("refId"),
                            expr));
                }
            }
        }
        for (JsonObject variable : variables()) {
            if ("query".equals(variable.getString("type"))) {
                queries.add(
                        new Query(Kind.VARIABLE, "variable $" + variable.getString("name"), variableQuery(variable)));
            }
        }
        for (JsonObject annotation : annotations()) {
            String expr = annotation.getString("expr");
            if (expr != null) {
                queries.add(new Query(Kind.ANNOTATION, "annotation '" + annotation.getString("name") + "'", expr));
            }
        }
        return queries;
    }

    /** The names of the variables an expression uses ($x, ${x}, ${x:fmt}, [[x]]), Grafana's own included. */
    static List<String> variablesUsed(String expr) {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            names.add(name(m));
        }
        return names;
    }

    /**
     * The expression with every variable replaced by its value from {@code values}.
     *
     * @throws IllegalArgumentException naming the variable when one has no value
     */
    static String substitute(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = name(m);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for variable $" + name + " in: " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String name(Matcher m) {
        return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
    }

    static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> list = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                list.add(array.getJsonObject(i));
            }
        }
        return list;
    }
}
