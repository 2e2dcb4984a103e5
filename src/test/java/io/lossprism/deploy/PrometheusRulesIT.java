package io.lossprism.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus files in deploy/prometheus as Prometheus's own tool judges them: the configuration
 * and the rules are valid, and the rules' unit tests (alerts_test.yml) pass.
 */
class PrometheusRulesIT {

    private static final Path DIR = Path.of("deploy", "prometheus");
    private static final String PROMTOOL = "/usr/bin/promtool";

    @Test
    void configurationIsValid() throws Exception {
        promtool("check", "config", DIR.resolve("prometheus.yml").toString());
    }

    /** The configuration deploy/compose.yaml mounts (scrape target lossprism:8080, same rules). */
    @Test
    void composeConfigurationIsValid() throws Exception {
        String out = promtool(
                "check", "config", DIR.resolve("prometheus-compose.yml").toString());
        assertThat(out).contains("SUCCESS: 1 rule files found");
    }

    @Test
    void rulesAreValid() throws Exception {
        promtool("check", "rules", DIR.resolve("alerts.yml").toString());
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        String out = promtool("test", "rules", DIR.resolve("alerts_test.yml").toString());
        assertThat(out).contains("SUCCESS");
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        assertThat(Path.of(PROMTOOL))
                .as("promtool installed (apt-get install prometheus)")
                .isExecutable();
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("promtool", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertThat(done).as("promtool finished within 60 s").isTrue();
        assertThat(process.exitValue())
                .as("promtool %s:%n%s", String.join(" ", args), out)
                .isZero();
        return out;
    }
}
