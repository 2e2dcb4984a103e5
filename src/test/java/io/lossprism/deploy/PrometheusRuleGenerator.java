package io.lossprism.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes {@code deploy/k8s/prometheusrule.yaml}, a Prometheus Operator {@code PrometheusRule} whose
 * {@code spec.groups} are the groups of {@code deploy/prometheus/alerts.yml}, unchanged.
 *
 * <p>Regenerate after editing alerts.yml (from the repository root, after {@code mvn test-compile}):
 * <pre>
 * java -cp 'target/test-classes:target/lib/*' io.lossprism.deploy.PrometheusRuleGenerator
 * </pre>
 * {@link DeploymentFilesTest} fails while the two disagree.
 */
public final class PrometheusRuleGenerator {

    public static final Path ALERTS = Path.of("deploy", "prometheus", "alerts.yml");
    public static final Path OUTPUT = Path.of("deploy", "k8s", "prometheusrule.yaml");

    private static final String HEADER = """
            # GENERATED from deploy/prometheus/alerts.yml by io.lossprism.deploy.PrometheusRuleGenerator
            # (src/test/java). Do not edit: change alerts.yml, then from the repository root run
            #   mvn -B -q test-compile && java -cp 'target/test-classes:target/lib/*' io.lossprism.deploy.PrometheusRuleGenerator
            # DeploymentFilesTest fails while spec.groups differs from the groups of alerts.yml.
            #
            # For the Prometheus Operator: your Prometheus resource's ruleSelector must match these labels
            # (kube-prometheus-stack: add `release: <helm release name>`); its PrometheusRule CRD must know
            # keep_firing_for (Prometheus 2.42+, a 2023 or newer operator). The rules' `for:` durations
            # assume a 5 s scrape interval (servicemonitor.yaml).
            """;

    private PrometheusRuleGenerator() {}

    public static void main(String[] args) throws IOException {
        Path alerts = args.length > 0 ? Path.of(args[0]) : ALERTS;
        Path output = args.length > 1 ? Path.of(args[1]) : OUTPUT;
        Files.writeString(output, render(alerts), StandardCharsets.UTF_8);
        System.out.println("wrote " + output + " from " + alerts);
    }

    /** The PrometheusRule manifest for the rule file {@code alerts}, as YAML text with a header comment. */
    public static String render(Path alerts) throws IOException {
        Object groups = groupsOf(load(alerts));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "lossprism");
        metadata.put("labels", Map.of("app.kubernetes.io/name", "lossprism"));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "monitoring.coreos.com/v1");
        manifest.put("kind", "PrometheusRule");
        manifest.put("metadata", metadata);
        manifest.put("spec", Map.of("groups", groups));
        return HEADER + dumper().dump(manifest);
    }

    /** The {@code groups} list of a Prometheus rule file. */
    static Object groupsOf(Object ruleFile) {
        if (!(ruleFile instanceof Map<?, ?> map) || !(map.get("groups") instanceof List<?> groups)) {
            throw new IllegalArgumentException("not a Prometheus rule file (no top-level groups list)");
        }
        return groups;
    }

    /** One YAML document, parsed with SnakeYAML's safe constructor. */
    static Object load(Path file) throws IOException {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static Yaml dumper() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        options.setSplitLines(false);
        return new Yaml(new BlockStrings(options), options);
    }

    /** Multi-line strings (the PromQL expressions) as literal blocks, as in alerts.yml. */
    private static final class BlockStrings extends Representer {
        BlockStrings(DumperOptions options) {
            super(options);
            this.representers.put(String.class, data -> {
                String text = (String) data;
                DumperOptions.ScalarStyle style =
                        text.contains("\n") ? DumperOptions.ScalarStyle.LITERAL : DumperOptions.ScalarStyle.PLAIN;
                return representScalar(Tag.STR, text, style);
            });
        }
    }
}
