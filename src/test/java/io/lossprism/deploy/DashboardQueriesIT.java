package io.lossprism.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.LossPrismApp;
import io.lossprism.testing.PrometheusServer;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every query of the deployment kit is real: the app trains in process (tiny images, both splits), a real
 * Prometheus ({@code /usr/bin/prometheus}) scrapes it every second and evaluates deploy/prometheus/alerts.yml,
 * and then every PromQL expression of the Grafana dashboard and of alerts.yml goes through Prometheus's
 * HTTP API ({@code /api/v1/query}).
 *
 * <ul>
 *   <li>Dashboard panel queries, for each split: valid and at least one series.</li>
 *   <li>Template variables ({@code label_values(metric, label)}): the metric has series, and the values
 *       are the app's classes, both splits, the one instance and its one run.</li>
 *   <li>Annotation queries and alert rule expressions are conditions, normally empty on a healthy run:
 *       valid; and each operand of their top-level and/or/unless, with its comparison removed (the value
 *       the condition tests), has series. An operand without a comparison ({@code ALERTS{..}}) is only
 *       checked for validity.</li>
 * </ul>
 */
class DashboardQueriesIT {

    private static final List<String> CLASSES = List.of("disc", "bar", "box", "ring", "speck");
    private static final List<String> SPLITS = List.of("train", "validation");
    /** Grafana's built-in interval variables, as Grafana would fill them for a 30-minute range. */
    private static final Map<String, String> BUILT_INS = Map.of(
            "__rate_interval", "1m",
            "__interval", "15s",
            "__interval_ms", "15000",
            "__range", "30m",
            "__range_s", "1800",
            "__range_ms", "1800000");
    /** Samples per series, at one scrape a second, before the queries run (rates over 1m need two). */
    private static final int SCRAPES = 20;

    private static final Duration SCRAPE_LIMIT = Duration.ofSeconds(75);

    private static LossPrismApp app;
    private static PrometheusServer prometheus;
    private static GrafanaDashboard dashboard;

    @BeforeAll
    static void start() throws Exception {
        assertThat(PrometheusServer.installed())
                .as("prometheus installed (.ci/run installs it)")
                .isTrue();
        dashboard = GrafanaDashboard.load();
        app = TestApps.start(
                "training.imageSize=32",
                "training.batchSize=4",
                "data.trainImages=32",
                "data.validationImages=8",
                "training.epochs=1000",
                "monitor.validationEveryIterations=10");
        prometheus = PrometheusServer.start("127.0.0.1:" + app.httpPort());
        long deadline = System.nanoTime() + SCRAPE_LIMIT.toNanos();
        prometheus.awaitVector(
                "count_over_time(lossprism_train_iterations_total[1m]) >= " + SCRAPES, v -> !v.isEmpty(), SCRAPE_LIMIT);
        prometheus.awaitVector(
                "count_over_time(lossprism_loss{split=\"validation\"}[1m]) >= 5",
                v -> !v.isEmpty(),
                Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (app != null) {
            app.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyPanelQueryIsValidAndReturnsSeriesForBothSplits() {
        List<GrafanaDashboard.Query> panels = queries(GrafanaDashboard.Kind.PANEL);
        assertThat(panels).hasSizeGreaterThanOrEqualTo(20);
        List<String> failures = new ArrayList<>();
        for (String split : SPLITS) {
            for (GrafanaDashboard.Query query : panels) {
                String expr = GrafanaDashboard.substitute(query.expr(), values(split));
                String problem = run(expr);
                if (problem == null && seriesCount(expr) == 0) {
                    problem = "no series";
                }
                if (problem != null) {
                    failures.add(query.where() + " (split " + split + "): " + problem + "\n    " + expr);
                }
            }
        }
        assertThat(failures).as("failing dashboard panel queries").isEmpty();
    }

    @Test
    void templateVariablesListTheClassesSplitsAndInstance() {
        Map<String, List<String>> expected = Map.of(
                "class",
                CLASSES,
                "split",
                SPLITS,
                "instance",
                List.of("127.0.0.1:" + app.httpPort()),
                "run",
                List.of(app.runs().currentRunId()));
        List<GrafanaDashboard.Query> variables = queries(GrafanaDashboard.Kind.VARIABLE);
        assertThat(variables).hasSize(expected.size());
        for (GrafanaDashboard.Query query : variables) {
            Matcher m = GrafanaDashboard.LABEL_VALUES.matcher(query.expr());
            assertThat(m.matches())
                    .as("%s is label_values(metric, label): %s", query.where(), query.expr())
                    .isTrue();
            String metric = GrafanaDashboard.substitute(m.group(1), values("train"));
            String label = m.group(2);
            String expr = "count by (" + label + ") (" + metric + ")";
            assertThat(run(expr)).as("%s: %s", query.where(), expr).isNull();
            TreeSet<String> values = new TreeSet<>();
            prometheus.queryVector(expr).keySet().forEach(labels -> values.add(labels.get(label)));
            String name = query.where().substring("variable $".length());
            assertThat(values)
                    .as("values of %s", query.where())
                    .containsExactlyInAnyOrderElementsOf(expected.get(name));
        }
    }

    @Test
    void annotationQueriesAreValidAndTheirValuesExist() {
        List<GrafanaDashboard.Query> annotations = queries(GrafanaDashboard.Kind.ANNOTATION);
        assertThat(annotations).isNotEmpty();
        List<String> failures = new ArrayList<>();
        for (GrafanaDashboard.Query query : annotations) {
            failures.addAll(checkCondition(query.where(), GrafanaDashboard.substitute(query.expr(), values("train"))));
        }
        assertThat(failures).as("failing annotation queries").isEmpty();
    }

    @Test
    void everyAlertRuleExpressionIsValidAndTheValuesItComparesExist() throws Exception {
        Map<String, String> rules = alertExpressions();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
        List<String> failures = new ArrayList<>();
        rules.forEach((name, expr) -> failures.addAll(checkCondition("alert " + name, expr)));
        assertThat(failures).as("failing alert rule expressions").isEmpty();
        // every operand of every rule compares something, so each had its value evaluated above
        rules.forEach((name, expr) ->
                assertThat(PromQl.setOperands(expr)).as("operands of %s", name).allMatch(PromQl::hasComparison));
        // the rules loaded into this Prometheus evaluate without errors too
        JsonArray groups = ruleGroups();
        assertThat(groups).isNotEmpty();
        for (Object g : groups) {
            for (Object r : ((JsonObject) g).getJsonArray("rules")) {
                JsonObject rule = (JsonObject) r;
                assertThat(rule.getString("health"))
                        .as("rule %s health (%s)", rule.getString("name"), rule.getString("lastError"))
                        .isIn("ok", "unknown");
            }
        }
    }

    /**
     * A condition (annotation or alert expression): valid as a whole; then each top-level and/or/unless
     * operand with its comparison removed must return series. Messages for what fails.
     */
    private static List<String> checkCondition(String where, String expr) {
        List<String> failures = new ArrayList<>();
        String problem = run(expr);
        if (problem != null) {
            failures.add(where + ": " + problem + "\n    " + expr);
            return failures;
        }
        for (String operand : PromQl.setOperands(expr)) {
            if (!PromQl.hasComparison(operand)) {
                continue; // e.g. ALERTS{...}: empty while nothing fires, validity is all there is to check
            }
            String value = PromQl.beforeComparison(operand);
            String valueProblem = run(value);
            if (valueProblem == null && seriesCount(value) == 0) {
                valueProblem = "no series";
            }
            if (valueProblem != null) {
                failures.add(where + ", the value compared in '" + operand.replaceAll("\\s+", " ") + "': "
                        + valueProblem + "\n    " + value.replaceAll("\\s+", " "));
            }
        }
        return failures;
    }

    /** Null when Prometheus accepts the query, else its error. */
    private static String run(String expr) {
        try {
            prometheus.query(expr);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private static int seriesCount(String expr) {
        JsonObject data = prometheus.query(expr);
        return switch (data.getString("resultType")) {
            case "vector", "matrix" -> data.getJsonArray("result").size();
            default -> 1; // scalar or string: a value
        };
    }

    private static Map<String, String> values(String split) {
        Map<String, String> values = new LinkedHashMap<>(BUILT_INS);
        values.put("datasource", "lossprism-prometheus");
        values.put("split", split);
        values.put("class", ".+");
        values.put("instance", ".+");
        values.put("run", ".+");
        return values;
    }

    private static List<GrafanaDashboard.Query> queries(GrafanaDashboard.Kind kind) {
        return dashboard.queries().stream().filter(q -> q.kind() == kind).toList();
    }

    private static Map<String, String> alertExpressions() throws Exception {
        Map<String, String> rules = new LinkedHashMap<>();
        Object groups = PrometheusRuleGenerator.groupsOf(PrometheusRuleGenerator.load(PrometheusServer.DEFAULT_RULES));
        for (Object group : (List<?>) groups) {
            for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> r = (Map<?, ?>) rule;
                Object name = r.get("alert") != null ? r.get("alert") : r.get("record");
                rules.put(String.valueOf(name), String.valueOf(r.get("expr")));
            }
        }
        return rules;
    }

    private static JsonArray ruleGroups() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(prometheus.uri().resolve("/api/v1/rules"))
                .timeout(Duration.ofSeconds(10))
                .build();
        String body = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        return new JsonObject(body).getJsonObject("data").getJsonArray("groups");
    }
}
