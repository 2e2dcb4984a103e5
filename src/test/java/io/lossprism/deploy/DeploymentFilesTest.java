package io.lossprism.deploy;

import static io.lossprism.deploy.GrafanaDashboardTest.list;
import static io.lossprism.deploy.GrafanaDashboardTest.map;
import static io.lossprism.deploy.GrafanaDashboardTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The container and Kubernetes files of the deployment kit, checked structurally (neither Docker nor a
 * cluster is available here): the Dockerfile's stages, user, volume, port, health check and entry point;
 * that every file deploy/compose.yaml mounts exists and is one the tests check; the Kubernetes manifests'
 * kinds, probes, ports, selectors and data volume; and that the generated PrometheusRule carries exactly
 * the groups of deploy/prometheus/alerts.yml.
 */
class DeploymentFilesTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Path DOCKERFILE = DEPLOY.resolve("Dockerfile");
    private static final Path COMPOSE = DEPLOY.resolve("compose.yaml");
    private static final Path K8S = DEPLOY.resolve("k8s");
    private static final Path PROMETHEUS_LOCAL = DEPLOY.resolve("prometheus").resolve("prometheus.yml");
    private static final Path PROMETHEUS_COMPOSE = DEPLOY.resolve("prometheus").resolve("prometheus-compose.yml");
    private static final String STATUS_PATH = "/api/status";
    private static final int APP_PORT = 8080;

    // ----------------------------------------------------------------------------------- Dockerfile

    /** One Dockerfile instruction: keyword (upper case) and its arguments, continuation lines joined. */
    record Instruction(String keyword, String args) {}

    /** A build stage: its FROM arguments and the instructions that follow. */
    record Stage(String from, String name, List<Instruction> instructions) {
        List<String> args(String keyword) {
            return instructions.stream()
                    .filter(i -> i.keyword().equals(keyword))
                    .map(Instruction::args)
                    .toList();
        }
    }

    static List<Instruction> instructions(Path dockerfile) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            int space = text.indexOf(' ');
            out.add(new Instruction(
                    text.substring(0, space).toUpperCase(),
                    text.substring(space + 1).strip()));
        }
        assertThat(current.toString().strip())
                .as("dangling continuation at the end of the Dockerfile")
                .isEmpty();
        return out;
    }

    static List<Stage> stages(List<Instruction> instructions) {
        List<Stage> stages = new ArrayList<>();
        for (Instruction i : instructions) {
            if (i.keyword().equals("FROM")) {
                String[] words = i.args().split("\\s+");
                String name = words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
                stages.add(new Stage(words[0], name, new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(i);
            }
        }
        return stages;
    }

    @Test
    void dockerfileBuildsWithMavenAndRunsOnAJre() throws IOException {
        List<Instruction> all = instructions(DOCKERFILE);
        List<Stage> stages = stages(all);
        assertThat(stages).as("FROM stages").hasSizeGreaterThanOrEqualTo(2);

        assertThat(all.get(0))
                .as("the BACKEND argument comes before the first FROM")
                .isEqualTo(new Instruction("ARG", "BACKEND=cpu"));

        Stage build = stages.get(0);
        assertThat(build.from()).isEqualTo("maven:3.9-eclipse-temurin-17");
        assertThat(build.name()).isEqualTo("build");
        String buildRuns = String.join("\n", build.args("RUN"));
        assertThat(buildRuns).contains("mvn -B -q package -DskipTests").contains("-Pcuda");
        assertThat(build.args("COPY"))
                .as("the build stage copies what the POM builds from")
                .contains("pom.xml ./", "src ./src", "web ./web", "config ./config");

        Stage cpu = stage(stages, "runtime-cpu");
        assertThat(cpu.from()).isEqualTo("eclipse-temurin:17-jre");
        Stage cuda = stage(stages, "runtime-cuda");
        assertThat(cuda.from()).matches("nvidia/cuda:11\\.6(\\.\\d+)?-cudnn\\d*-runtime-ubuntu[\\d.]+");
        assertThat(String.join("\n", cuda.args("RUN")))
                .as("the CUDA base gets a JRE")
                .contains("openjdk-17-jre");

        Stage runtime = stages.get(stages.size() - 1);
        assertThat(runtime.from())
                .as("the final stage is the runtime base chosen by BACKEND")
                .isEqualTo("runtime-${BACKEND}");
        for (Stage base : List.of(cpu, cuda)) {
            assertThat(String.join("\n", base.args("RUN")))
                    .as("%s installs curl for the health check", base.name())
                    .containsPattern("apt-get install[^\\n]*\\bcurl\\b");
        }
    }

    @Test
    void dockerfileRuntimeStageIsNonRootWithDataVolumePortHealthCheckAndEntrypoint() throws IOException {
        List<Stage> stages = stages(instructions(DOCKERFILE));
        Stage runtime = stages.get(stages.size() - 1);

        List<String> copies = runtime.args("COPY");
        assertThat(copies).anyMatch(c -> c.startsWith("--from=build ") && c.contains("target/lossprism.jar"));
        assertThat(copies).anyMatch(c -> c.startsWith("--from=build ") && c.contains("target/lib"));

        List<String> users = runtime.args("USER");
        assertThat(users).as("USER in the final stage").isNotEmpty();
        String user = users.get(users.size() - 1);
        assertThat(user).isNotIn("root", "0", "0:0", "root:root");
        assertThat(dockerUid()).as("uid of the image user").isPositive();

        assertThat(runtime.args("VOLUME")).as("VOLUME").containsExactly(dataDirectory());
        assertThat(dataDirectory()).isEqualTo("/data");
        assertThat(runtime.args("EXPOSE")).containsExactly(String.valueOf(APP_PORT));

        List<String> health = runtime.args("HEALTHCHECK");
        assertThat(health).hasSize(1);
        assertThat(health.get(0))
                .contains(" CMD ")
                .contains("http://127.0.0.1:" + APP_PORT + STATUS_PATH)
                .contains("curl -f");

        List<String> entrypoints = runtime.args("ENTRYPOINT");
        assertThat(entrypoints).hasSize(1);
        List<Object> entrypoint = new JsonArray(entrypoints.get(0)).stream().toList();
        assertThat(entrypoint)
                .as("exec-form ENTRYPOINT")
                .startsWith("java")
                .contains("-jar", "--set", "http.host=0.0.0.0");
        String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1).toString();
        assertThat(jar).endsWith("lossprism.jar");
        assertThat(copies).anyMatch(c -> c.endsWith(" " + jar));
    }

    /** The directory the runtime stage declares as VOLUME. */
    static String dataDirectory() throws IOException {
        List<Stage> stages = stages(instructions(DOCKERFILE));
        List<String> volumes = stages.get(stages.size() - 1).args("VOLUME");
        assertThat(volumes).hasSize(1);
        return volumes.get(0).replaceAll("[\\[\\]\"]", "").strip();
    }

    /** The uid given to the image's user with useradd --uid. */
    static int dockerUid() throws IOException {
        List<Stage> stages = stages(instructions(DOCKERFILE));
        Stage runtime = stages.get(stages.size() - 1);
        String user = runtime.args("USER").get(runtime.args("USER").size() - 1);
        Matcher m = Pattern.compile("useradd[^;&]*--uid (\\d+)[^;&]*\\b" + Pattern.quote(user) + "\\b")
                .matcher(String.join("\n", runtime.args("RUN")));
        assertThat(m.find()).as("useradd --uid ... %s in the final stage", user).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static Stage stage(List<Stage> stages, String name) {
        return stages.stream()
                .filter(s -> name.equals(s.name()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage named " + name));
    }

    // -------------------------------------------------------------------------------------- compose

    @Test
    void composeRunsTheAppPrometheusAndGrafana() throws IOException {
        Map<String, Object> compose = yaml(COMPOSE);
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services.keySet()).containsExactlyInAnyOrder("lossprism", "prometheus", "grafana");

        Map<String, Object> app = map(services.get("lossprism"));
        Map<String, Object> build = map(app.get("build"));
        Path context = DEPLOY.resolve(build.get("context").toString()).normalize();
        assertThat(context.resolve("pom.xml"))
                .as("build context is the repository root")
                .isRegularFile();
        assertThat(context.resolve(build.get("dockerfile").toString()).normalize())
                .isEqualTo(DOCKERFILE);
        assertThat(map(build.get("args")).get("BACKEND")).isIn("cpu", "cuda");
        assertThat(list(app.get("ports"))).contains(APP_PORT + ":" + APP_PORT);
        assertThat(volumeTargets(app)).as("the app's data volume").contains(dataDirectory());

        Map<String, Object> prometheus = map(services.get("prometheus"));
        assertThat(prometheus.get("image").toString()).startsWith("prom/prometheus:");
        assertThat(list(prometheus.get("command"))).contains("--config.file=/etc/prometheus/prometheus.yml");
        Map<String, Path> promMounts = bindMounts(prometheus);
        assertThat(promMounts.get("/etc/prometheus/prometheus.yml")).isEqualTo(PROMETHEUS_COMPOSE);
        assertThat(promMounts.get("/etc/prometheus/alerts.yml")).isEqualTo(PrometheusRuleGenerator.ALERTS);
        // the rule files the mounted configuration names are mounted next to it
        for (Object rules : list(yaml(PROMETHEUS_COMPOSE).get("rule_files"))) {
            assertThat(promMounts).containsKey("/etc/prometheus/" + rules);
        }

        Map<String, Object> grafana = map(services.get("grafana"));
        assertThat(grafana.get("image").toString()).startsWith("grafana/grafana:");
        assertThat(bindMounts(grafana))
                .containsEntry(
                        "/etc/grafana/provisioning", DEPLOY.resolve("grafana").resolve("provisioning"));
    }

    @Test
    void everyFileComposeMountsExistsAndIsOneTheTestsCheck() throws IOException {
        Map<String, Object> compose = yaml(COMPOSE);
        Map<String, Object> services = map(compose.get("services"));
        Set<String> namedVolumes = compose.get("volumes") == null
                ? Set.of()
                : map(compose.get("volumes")).keySet();
        Set<Path> mounted = new LinkedHashSet<>();
        for (Map.Entry<String, Object> service : services.entrySet()) {
            for (Object volume : volumes(map(service.getValue()))) {
                String source = volume.toString().split(":")[0];
                if (isBindSource(source)) {
                    Path path = DEPLOY.resolve(source).normalize();
                    assertThat(Files.exists(path))
                            .as("%s mounts %s (%s)", service.getKey(), source, path)
                            .isTrue();
                    mounted.add(path);
                } else {
                    assertThat(namedVolumes)
                            .as("%s: named volume %s declared", service.getKey(), source)
                            .contains(source);
                }
            }
        }
        // PrometheusRulesIT: promtool on prometheus-compose.yml and alerts.yml; DashboardQueriesIT: alerts.yml
        // and the dashboard in a real Prometheus; GrafanaDashboardTest: the provisioning and the dashboard.
        assertThat(mounted)
                .containsExactlyInAnyOrder(
                        PROMETHEUS_COMPOSE,
                        PrometheusRuleGenerator.ALERTS,
                        DEPLOY.resolve("grafana").resolve("provisioning"),
                        GrafanaDashboard.FILE.getParent());
    }

    @Test
    void composePrometheusConfigDiffersFromTheLocalOneOnlyInTheTarget() throws IOException {
        Map<String, Object> local = yaml(PROMETHEUS_LOCAL);
        Map<String, Object> composed = yaml(PROMETHEUS_COMPOSE);
        String localTarget = singleTarget(local);
        String composeTarget = singleTarget(composed);
        assertThat(localTarget).isEqualTo("127.0.0.1:" + APP_PORT);
        assertThat(composeTarget).isEqualTo("lossprism:" + APP_PORT);
        assertThat(map(yaml(COMPOSE).get("services"))).containsKey(composeTarget.split(":")[0]);

        String withLocalTarget =
                Files.readString(PROMETHEUS_COMPOSE).replace("'" + composeTarget + "'", "'" + localTarget + "'");
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(withLocalTarget);
        assertThat(loaded).isEqualTo(local);
    }

    private static String singleTarget(Map<String, Object> prometheusConfig) {
        List<Object> scrapes = list(prometheusConfig.get("scrape_configs"));
        assertThat(scrapes).hasSize(1);
        List<Object> statics = list(map(scrapes.get(0)).get("static_configs"));
        assertThat(statics).hasSize(1);
        List<Object> targets = list(map(statics.get(0)).get("targets"));
        assertThat(targets).hasSize(1);
        return targets.get(0).toString();
    }

    private static List<Object> volumes(Map<String, Object> service) {
        return service.get("volumes") == null ? List.of() : list(service.get("volumes"));
    }

    private static boolean isBindSource(String source) {
        return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
    }

    private static Set<String> volumeTargets(Map<String, Object> service) {
        Set<String> targets = new LinkedHashSet<>();
        for (Object volume : volumes(service)) {
            targets.add(volume.toString().split(":")[1]);
        }
        return targets;
    }

    /** Container path to repository path of a service's bind mounts. */
    private static Map<String, Path> bindMounts(Map<String, Object> service) {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (Object volume : volumes(service)) {
            String[] parts = volume.toString().split(":");
            if (isBindSource(parts[0])) {
                mounts.put(parts[1], DEPLOY.resolve(parts[0]).normalize());
            }
        }
        return mounts;
    }

    // ----------------------------------------------------------------------------------- Kubernetes

    @Test
    void kubernetesManifestsParseWithTheExpectedKinds() throws IOException {
        Map<String, String> expected = Map.of(
                "deployment.yaml", "apps/v1 Deployment",
                "service.yaml", "v1 Service",
                "servicemonitor.yaml", "monitoring.coreos.com/v1 ServiceMonitor",
                "pvc.yaml", "v1 PersistentVolumeClaim",
                "prometheusrule.yaml", "monitoring.coreos.com/v1 PrometheusRule");
        try (var files = Files.list(K8S)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Map<String, Object> manifest = k8s(e.getKey());
            assertThat(manifest.get("apiVersion") + " " + manifest.get("kind"))
                    .as(e.getKey())
                    .isEqualTo(e.getValue());
            assertThat(map(manifest.get("metadata")).get("name"))
                    .as("%s name", e.getKey())
                    .isNotNull();
        }
    }

    @Test
    void deploymentProbesRunsAsTheImageUserAndMountsTheClaimAtTheDataDirectory() throws IOException {
        Map<String, Object> spec = map(k8s("deployment.yaml").get("spec"));
        assertThat(spec.get("replicas")).isEqualTo(1);
        Map<String, Object> template = map(spec.get("template"));
        Map<String, Object> podLabels = map(map(template.get("metadata")).get("labels"));
        assertThat(podLabels).containsAllEntriesOf(map(map(spec.get("selector")).get("matchLabels")));

        Map<String, Object> pod = map(template.get("spec"));
        Map<String, Object> security = map(pod.get("securityContext"));
        assertThat(security.get("runAsNonRoot")).isEqualTo(true);
        assertThat(security.get("runAsUser"))
                .as("runAsUser = the Dockerfile's uid")
                .isEqualTo(dockerUid());

        List<Object> containers = list(pod.get("containers"));
        assertThat(containers).hasSize(1);
        Map<String, Object> container = map(containers.get(0));
        Map<String, Object> port = map(list(container.get("ports")).get(0));
        assertThat(port.get("containerPort")).isEqualTo(APP_PORT);
        String portName = port.get("name").toString();

        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
            assertThat(get.get("path")).as(probe).isEqualTo(STATUS_PATH);
            assertThat(get.get("port")).as("%s port", probe).isIn(portName, APP_PORT);
        }

        Map<String, Object> resources = map(container.get("resources"));
        assertThat(map(resources.get("requests"))).containsKeys("cpu", "memory");
        assertThat(map(resources.get("limits"))).containsKey("memory");
        assertThat(Files.readString(K8S.resolve("deployment.yaml")))
                .as("the GPU option, commented")
                .containsPattern("#\\s*nvidia\\.com/gpu: 1");

        String claim = map(k8s("pvc.yaml").get("metadata")).get("name").toString();
        String volumeName = null;
        for (Object v : list(pod.get("volumes"))) {
            Map<String, Object> volume = map(v);
            if (volume.get("persistentVolumeClaim") != null
                    && claim.equals(map(volume.get("persistentVolumeClaim")).get("claimName"))) {
                volumeName = volume.get("name").toString();
            }
        }
        assertThat(volumeName).as("a pod volume from the claim %s", claim).isNotNull();
        String mountPath = null;
        for (Object m : list(container.get("volumeMounts"))) {
            if (volumeName.equals(map(m).get("name"))) {
                mountPath = map(m).get("mountPath").toString();
            }
        }
        assertThat(mountPath).as("where the claim is mounted").isEqualTo(dataDirectory());

        Map<String, Object> pvcSpec = map(k8s("pvc.yaml").get("spec"));
        assertThat(list(pvcSpec.get("accessModes"))).contains("ReadWriteOnce");
        assertThat(map(map(pvcSpec.get("resources")).get("requests"))).containsKey("storage");
        assertThat(map(spec.get("strategy")).get("type"))
                .as("a ReadWriteOnce claim: no rolling overlap")
                .isEqualTo("Recreate");
    }

    @Test
    void serviceSelectsThePodAndIsScrapedByAnnotationsOrServiceMonitor() throws IOException {
        Map<String, Object> deployment = k8s("deployment.yaml");
        Map<String, Object> template = map(map(deployment.get("spec")).get("template"));
        Map<String, Object> podLabels = map(map(template.get("metadata")).get("labels"));
        Map<String, Object> container =
                map(list(map(template.get("spec")).get("containers")).get(0));
        String containerPortName =
                map(list(container.get("ports")).get(0)).get("name").toString();

        Map<String, Object> service = k8s("service.yaml");
        Map<String, Object> serviceMeta = map(service.get("metadata"));
        Map<String, Object> serviceSpec = map(service.get("spec"));
        assertThat(podLabels).containsAllEntriesOf(map(serviceSpec.get("selector")));
        Map<String, Object> servicePort = map(list(serviceSpec.get("ports")).get(0));
        assertThat(servicePort.get("targetPort")).isIn(containerPortName, APP_PORT);
        assertThat(servicePort.get("port")).isEqualTo(APP_PORT);
        assertThat(map(serviceMeta.get("annotations")))
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", String.valueOf(APP_PORT))
                .containsEntry("prometheus.io/path", "/metrics");

        Map<String, Object> monitor = map(k8s("servicemonitor.yaml").get("spec"));
        assertThat(map(serviceMeta.get("labels")))
                .containsAllEntriesOf(map(map(monitor.get("selector")).get("matchLabels")));
        Map<String, Object> endpoint = map(list(monitor.get("endpoints")).get(0));
        assertThat(endpoint.get("port")).isEqualTo(servicePort.get("name"));
        assertThat(endpoint.get("path")).isEqualTo("/metrics");
    }

    @Test
    void prometheusRuleCarriesExactlyTheGroupsOfAlertsYml() throws IOException {
        Object alertGroups =
                PrometheusRuleGenerator.groupsOf(PrometheusRuleGenerator.load(PrometheusRuleGenerator.ALERTS));
        Map<String, Object> rule = k8s("prometheusrule.yaml");
        assertThat(map(rule.get("spec")).get("groups"))
                .as(
                        "spec.groups of deploy/k8s/prometheusrule.yaml against deploy/prometheus/alerts.yml; regenerate with "
                                + "java -cp 'target/test-classes:target/lib/*' io.lossprism.deploy.PrometheusRuleGenerator")
                .isEqualTo(alertGroups);
    }

    @Test
    void generatorOutputParsesBackToTheSameGroups() throws IOException {
        String rendered = PrometheusRuleGenerator.render(PrometheusRuleGenerator.ALERTS);
        Map<String, Object> parsed = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(rendered));
        assertThat(map(parsed.get("spec")).get("groups"))
                .isEqualTo(
                        PrometheusRuleGenerator.groupsOf(PrometheusRuleGenerator.load(PrometheusRuleGenerator.ALERTS)));
        assertThat(rendered).as("expressions kept as literal blocks").contains("expr: |");
    }

    private static Map<String, Object> k8s(String file) throws IOException {
        List<Object> documents = new ArrayList<>();
        new Yaml(new SafeConstructor(new LoaderOptions()))
                .loadAll(Files.readString(K8S.resolve(file)))
                .forEach(documents::add);
        assertThat(documents).as("%s: one YAML document", file).hasSize(1);
        return map(documents.get(0));
    }
}
