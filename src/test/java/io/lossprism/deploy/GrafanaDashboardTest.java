package io.lossprism.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Grafana dashboard and its provisioning, checked structurally (Grafana itself cannot run here):
 * the JSON parses, panel ids are unique, grid rectangles fit the 24-column grid without overlapping,
 * every datasource reference resolves to the provisioned datasource, the class and split variables
 * exist and are used, alert transitions are annotated, and the provisioning files point where
 * deploy/compose.yaml mounts things. {@link DashboardQueriesIT} runs the queries themselves.
 */
class GrafanaDashboardTest {

    private static final Path PROVISIONING = Path.of("deploy", "grafana", "provisioning");
    private static final Path DATASOURCES = PROVISIONING.resolve("datasources").resolve("prometheus.yml");
    private static final Path PROVIDERS = PROVISIONING.resolve("dashboards").resolve("lossprism.yml");
    private static final Path COMPOSE = Path.of("deploy", "compose.yaml");
    private static final int GRID_COLUMNS = 24;

    private static GrafanaDashboard dashboard;

    @BeforeAll
    static void load() throws IOException {
        dashboard = GrafanaDashboard.load();
    }

    @Test
    void isADashboardWithTitleUidAndPanels() {
        JsonObject json = dashboard.json();
        assertThat(json.getString("uid")).isEqualTo("lossprism");
        assertThat(json.getString("title")).isNotBlank();
        assertThat(json.getInteger("schemaVersion")).isGreaterThanOrEqualTo(36);
        assertThat(json.getValue("id"))
                .as("no instance-specific id in a provisioned dashboard")
                .isNull();
        assertThat(dashboard.queryPanels()).hasSizeGreaterThanOrEqualTo(10);
        for (JsonObject panel : dashboard.panels()) {
            assertThat(panel.getString("type"))
                    .as("panel %s type", panel.getValue("id"))
                    .isIn("row", "timeseries", "stat", "state-timeline", "table", "gauge", "bargauge", "text");
            assertThat(panel.getString("title"))
                    .as("panel %s title", panel.getValue("id"))
                    .isNotBlank();
        }
    }

    @Test
    void panelIdsAreUnique() {
        List<Integer> ids =
                dashboard.panels().stream().map(p -> p.getInteger("id")).toList();
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void gridPositionsFitTheGridAndDoNotOverlap() {
        List<JsonObject> panels = dashboard.json().getJsonArray("panels").stream()
                .map(JsonObject.class::cast)
                .toList();
        List<int[]> placed = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonObject panel : panels) {
            String name = "panel " + panel.getValue("id") + " '" + panel.getString("title") + "'";
            JsonObject pos = panel.getJsonObject("gridPos");
            assertThat(pos).as("%s gridPos", name).isNotNull();
            int x = pos.getInteger("x");
            int y = pos.getInteger("y");
            int w = pos.getInteger("w");
            int h = pos.getInteger("h");
            assertThat(x).as("%s x", name).isBetween(0, GRID_COLUMNS - 1);
            assertThat(y).as("%s y", name).isGreaterThanOrEqualTo(0);
            assertThat(w).as("%s w", name).isPositive();
            assertThat(h).as("%s h", name).isPositive();
            assertThat(x + w).as("%s right edge", name).isLessThanOrEqualTo(GRID_COLUMNS);
            int[] rect = {x, y, w, h};
            for (int i = 0; i < placed.size(); i++) {
                assertThat(overlap(rect, placed.get(i)))
                        .as("%s overlaps %s", name, names.get(i))
                        .isFalse();
            }
            placed.add(rect);
            names.add(name);
        }
    }

    @Test
    void rowsAreFullWidthAndExpanded() {
        for (JsonObject panel : dashboard.panels()) {
            if ("row".equals(panel.getString("type"))) {
                assertThat(panel.getJsonObject("gridPos").getInteger("w")).isEqualTo(GRID_COLUMNS);
                assertThat(panel.getJsonObject("gridPos").getInteger("h")).isEqualTo(1);
                // expanded rows keep their panels at the top level, where the grid check sees them
                assertThat(panel.getBoolean("collapsed", false))
                        .as("row '%s' collapsed", panel.getString("title"))
                        .isFalse();
                assertThat(panel.getJsonArray("panels", new JsonArray())).isEmpty();
            }
        }
    }

    @Test
    void everyDatasourceReferenceResolvesToTheProvisionedPrometheus() throws IOException {
        String uid = provisionedDatasource().get("uid").toString();
        JsonObject variable = dashboard.variable("datasource");
        assertThat(variable).as("datasource variable").isNotNull();
        assertThat(variable.getString("type")).isEqualTo("datasource");
        assertThat(variable.getString("query")).isEqualTo("prometheus");
        assertThat(variable.getJsonObject("current").getString("value"))
                .as("the datasource variable defaults to the provisioned datasource")
                .isEqualTo(uid);

        List<JsonObject> references = new ArrayList<>();
        List<String> where = new ArrayList<>();
        for (JsonObject panel : dashboard.queryPanels()) {
            references.add(panel.getJsonObject("datasource"));
            where.add("panel " + panel.getValue("id"));
            for (JsonObject target : GrafanaDashboard.objects(panel.getJsonArray("targets"))) {
                if (target.containsKey("datasource")) {
                    references.add(target.getJsonObject("datasource"));
                    where.add("panel " + panel.getValue("id") + " target " + target.getString("refId"));
                }
            }
        }
        for (JsonObject v : dashboard.variables()) {
            if ("query".equals(v.getString("type"))) {
                references.add(v.getJsonObject("datasource"));
                where.add("variable " + v.getString("name"));
            }
        }
        for (JsonObject a : dashboard.annotations()) {
            if (a.getInteger("builtIn", 0) != 1) {
                references.add(a.getJsonObject("datasource"));
                where.add("annotation " + a.getString("name"));
            }
        }
        for (int i = 0; i < references.size(); i++) {
            JsonObject ref = references.get(i);
            assertThat(ref).as("%s datasource", where.get(i)).isNotNull();
            assertThat(ref.getString("type"))
                    .as("%s datasource type", where.get(i))
                    .isEqualTo("prometheus");
            assertThat(ref.getString("uid"))
                    .as("%s datasource uid", where.get(i))
                    .isIn(uid, "${datasource}", "$datasource");
        }
    }

    @Test
    void everyQueryPanelTargetHasAnExpressionAndUniqueRefIds() {
        for (JsonObject panel : dashboard.queryPanels()) {
            Set<String> refIds = new HashSet<>();
            for (JsonObject target : GrafanaDashboard.objects(panel.getJsonArray("targets"))) {
                assertThat(target.getString("expr"))
                        .as("panel %s target expr", panel.getValue("id"))
                        .isNotBlank();
                assertThat(refIds.add(target.getString("refId")))
                        .as("panel %s refId %s unique", panel.getValue("id"), target.getString("refId"))
                        .isTrue();
            }
        }
    }

    @Test
    void classVariableListsTheClassesAndIsUsed() {
        JsonObject variable = dashboard.variable("class");
        assertThat(variable).as("class variable").isNotNull();
        assertThat(variable.getString("type")).isEqualTo("query");
        assertThat(GrafanaDashboard.variableQuery(variable).replace(" ", ""))
                .isEqualTo("label_values(lossprism_class_loss,class)");
        assertThat(variable.getBoolean("multi")).isTrue();
        assertThat(variable.getBoolean("includeAll")).isTrue();
        assertThat(panelExpressionsUsing("class"))
                .as("panel expressions using $class")
                .isNotEmpty();
        // a class filter is always a regex match, so that multi-values and All work
        for (String expr : panelExpressionsUsing("class")) {
            assertThat(expr).as("class matcher in %s", expr).containsPattern("class=~\"\\$class\\|?\"");
        }
    }

    @Test
    void runVariableListsTheRunsAndEveryLossPrismQueryFiltersOnIt() {
        JsonObject variable = dashboard.variable("run");
        assertThat(variable).as("run variable").isNotNull();
        assertThat(GrafanaDashboard.variableQuery(variable).replace(" ", ""))
                .isEqualTo("label_values(lossprism_train_iterations_total{instance=~\"$instance\"},run)");
        assertThat(variable.getBoolean("multi")).isTrue();
        assertThat(variable.getBoolean("includeAll")).isTrue();
        for (GrafanaDashboard.Query query : dashboard.queries()) {
            if (query.kind() == GrafanaDashboard.Kind.PANEL && query.expr().contains("lossprism_")) {
                assertThat(query.expr()).as("%s filters on $run", query.where()).contains("run=~\"$run\"");
            }
        }
    }

    @Test
    void splitVariableSelectsTrainOrValidationAndIsUsed() {
        JsonObject variable = dashboard.variable("split");
        assertThat(variable).as("split variable").isNotNull();
        assertThat(variable.getString("type")).isEqualTo("query");
        assertThat(GrafanaDashboard.variableQuery(variable))
                .contains("label_values(")
                .contains("split");
        assertThat(variable.getBoolean("multi", false))
                .as("one split at a time")
                .isFalse();
        assertThat(variable.getJsonObject("current").getString("value")).isEqualTo("train");
        assertThat(panelExpressionsUsing("split")).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void everyVariableUsedIsDefinedOrGrafanaBuiltIn() {
        Set<String> defined = new HashSet<>();
        dashboard.variables().forEach(v -> defined.add(v.getString("name")));
        for (GrafanaDashboard.Query query : dashboard.queries()) {
            for (String name : GrafanaDashboard.variablesUsed(query.expr())) {
                assertThat(defined.contains(name) || name.startsWith("__"))
                        .as("%s uses undefined variable $%s", query.where(), name)
                        .isTrue();
            }
        }
        // every query variable other than the datasource is used somewhere
        for (JsonObject v : dashboard.variables()) {
            if ("query".equals(v.getString("type"))) {
                assertThat(panelExpressionsUsing(v.getString("name")))
                        .as("uses of $%s", v.getString("name"))
                        .isNotEmpty();
            }
        }
    }

    @Test
    void coversTheIssuesPanels() {
        String all = String.join(
                "\n",
                dashboard.queries().stream()
                        .filter(q -> q.kind() == GrafanaDashboard.Kind.PANEL)
                        .map(GrafanaDashboard.Query::expr)
                        .toList());
        assertThat(all)
                .contains(
                        "lossprism_loss",
                        "lossprism_class_loss",
                        "lossprism_class_iou_ratio",
                        "lossprism_class_positive_loss",
                        "lossprism_class_prevalence_ratio",
                        "lossprism_alert_firing",
                        "lossprism_train_images_per_second",
                        "lossprism_train_epoch",
                        "rate(lossprism_train_iterations_total",
                        "jvm_memory_used_bytes",
                        "vertx_http_server_requests_total",
                        "vertx_http_server_response_time_seconds");
        // the per-class composition is stacked
        JsonObject composition = dashboard.queryPanels().stream()
                .filter(p -> p.getJsonArray("targets").stream()
                        .map(JsonObject.class::cast)
                        .anyMatch(t -> t.getString("expr").matches("lossprism_class_loss\\{[^}]*}")))
                .findFirst()
                .orElseThrow();
        assertThat(composition
                        .getJsonObject("fieldConfig")
                        .getJsonObject("defaults")
                        .getJsonObject("custom")
                        .getJsonObject("stacking")
                        .getString("mode"))
                .isEqualTo("normal");
    }

    @Test
    void alertTransitionsAreAnnotated() {
        List<JsonObject> alertAnnotations = dashboard.annotations().stream()
                .filter(a -> a.getString("expr") != null)
                .filter(a -> a.getString("expr").contains("lossprism_alert_firing")
                        || a.getString("expr").contains("ALERTS"))
                .toList();
        assertThat(alertAnnotations).isNotEmpty();
        assertThat(alertAnnotations)
                .anyMatch(a ->
                        a.getBoolean("enable", false) && a.getString("expr").contains("lossprism_alert_firing"));
        for (JsonObject a : alertAnnotations) {
            assertThat(a.getString("titleFormat"))
                    .as("annotation %s title", a.getString("name"))
                    .contains("{{alertname}}");
        }
    }

    @Test
    void datasourceProvisioningPointsAtTheComposePrometheus() throws IOException {
        Map<String, Object> file = yaml(DATASOURCES);
        assertThat(file.get("apiVersion")).isEqualTo(1);
        Map<String, Object> ds = provisionedDatasource();
        assertThat(ds.get("type")).isEqualTo("prometheus");
        assertThat(ds.get("access")).isEqualTo("proxy");
        Matcher url = java.util.regex.Pattern.compile("^http://([\\w-]+):(\\d+)/?$")
                .matcher(ds.get("url").toString());
        assertThat(url.matches()).as("datasource url %s", ds.get("url")).isTrue();
        Map<String, Object> services = map(yaml(COMPOSE).get("services"));
        assertThat(services).as("compose service named by the datasource url").containsKey(url.group(1));
        assertThat(url.group(2)).isEqualTo("9090");
    }

    @Test
    void dashboardProviderLoadsTheFolderComposeMounts() throws IOException {
        Map<String, Object> file = yaml(PROVIDERS);
        assertThat(file.get("apiVersion")).isEqualTo(1);
        List<Object> providers = list(file.get("providers"));
        assertThat(providers).hasSize(1);
        Map<String, Object> provider = map(providers.get(0));
        assertThat(provider.get("type")).isEqualTo("file");
        String path = map(provider.get("options")).get("path").toString();

        List<String> grafanaVolumes =
                list(map(map(yaml(COMPOSE).get("services")).get("grafana")).get("volumes")).stream()
                        .map(Object::toString)
                        .toList();
        assertThat(grafanaVolumes)
                .as("compose mounts the dashboards folder at the provider's path")
                .anySatisfy(v -> {
                    String[] parts = v.split(":");
                    assertThat(Path.of("deploy").resolve(parts[0]).normalize())
                            .isEqualTo(GrafanaDashboard.FILE.getParent());
                    assertThat(parts[1]).isEqualTo(path);
                });
        assertThat(grafanaVolumes).as("compose mounts the provisioning folder").anySatisfy(v -> {
            String[] parts = v.split(":");
            assertThat(Path.of("deploy").resolve(parts[0]).normalize()).isEqualTo(PROVISIONING);
            assertThat(parts[1]).isEqualTo("/etc/grafana/provisioning");
        });
        try (var files = Files.list(GrafanaDashboard.FILE.getParent())) {
            assertThat(files.filter(p -> p.toString().endsWith(".json")).toList())
                    .as("dashboards Grafana will load")
                    .containsExactly(GrafanaDashboard.FILE);
        }
    }

    private static List<String> panelExpressionsUsing(String variable) {
        return dashboard.queries().stream()
                .filter(q -> q.kind() == GrafanaDashboard.Kind.PANEL)
                .map(GrafanaDashboard.Query::expr)
                .filter(e -> GrafanaDashboard.variablesUsed(e).contains(variable))
                .toList();
    }

    private static boolean overlap(int[] a, int[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    private static Map<String, Object> provisionedDatasource() throws IOException {
        List<Object> datasources = list(yaml(DATASOURCES).get("datasources"));
        assertThat(datasources).hasSize(1);
        Map<String, Object> ds = map(datasources.get(0));
        assertThat(ds.get("uid")).isNotNull();
        return ds;
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Object>) o;
    }
}
