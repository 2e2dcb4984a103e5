package io.lossprism.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped files under config/ agree with the schema. Tests run from the project root. */
class ConfigFilesTest {

    private static final Path DEFAULT_YAML = Path.of("config/default.yaml");

    @Test
    void defaultYamlParsesToExactlyTheDefaults() {
        assertThat(ConfigLoader.load(DEFAULT_YAML, List.of())).isEqualTo(ConfigLoader.defaults());
    }

    @Test
    void defaultYamlHasEveryKeyWithACommentAbove() throws IOException {
        Map<String, String> lineAbove = keysWithTheLineAbove(Files.readAllLines(DEFAULT_YAML));

        assertThat(lineAbove.keySet()).containsExactlyElementsOf(ConfigSchema.paths());
        lineAbove.forEach((key, above) ->
                assertThat(above).as("line above %s", key).startsWith("#").hasSizeGreaterThan(2));
    }

    @Test
    void seed256IsTheDefaultsAt256PixelsAndBatch16() {
        AppConfig defaults = ConfigLoader.defaults();

        AppConfig config = ConfigLoader.load(Path.of("config/seed-256.yaml"), List.of());

        assertThat(config.training().imageSize()).isEqualTo(256);
        assertThat(config.training().batchSize()).isEqualTo(16);
        assertThat(config)
                .isEqualTo(new AppConfig(
                        defaults.http(),
                        defaults.storage(),
                        defaults.checkpoint(),
                        new TrainingConfig(
                                256,
                                16,
                                defaults.training().classes(),
                                defaults.training().classWeights(),
                                defaults.training().epochs(),
                                defaults.training().optimizer(),
                                defaults.training().learningRate(),
                                defaults.training().seed()),
                        defaults.model(),
                        defaults.data(),
                        defaults.monitor(),
                        defaults.alerts(),
                        defaults.liveRuns(),
                        defaults.ingest()));
    }

    @Test
    void tinyIsSmall() {
        AppConfig config = ConfigLoader.load(Path.of("config/tiny.yaml"), List.of());

        assertThat(config.http().port()).isZero();
        assertThat(config.training().imageSize()).isEqualTo(32);
        assertThat(config.training().batchSize()).isEqualTo(2);
        assertThat(config.training().epochs()).isEqualTo(2);
        assertThat(config.data().trainImages()).isEqualTo(8);
        assertThat(config.data().validationImages()).isEqualTo(4);
        assertThat(config.training().classes())
                .isEqualTo(ConfigLoader.defaults().training().classes());
    }

    /**
     * Dotted key of every "name: value" line (two-space nesting) mapped to the nearest non-blank
     * line above it; section headers ("training:") only open a section.
     */
    private static Map<String, String> keysWithTheLineAbove(List<String> lines) {
        Map<String, String> result = new LinkedHashMap<>();
        List<String> sections = new ArrayList<>();
        String previous = "";
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.startsWith("#")) {
                int depth = (line.length() - line.stripLeading().length()) / 2;
                String name = trimmed.substring(0, trimmed.indexOf(':'));
                String value = trimmed.substring(trimmed.indexOf(':') + 1).strip();
                while (sections.size() > depth) {
                    sections.remove(sections.size() - 1);
                }
                if (value.isEmpty()) {
                    sections.add(name);
                } else {
                    result.put(sections.isEmpty() ? name : String.join(".", sections) + "." + name, previous);
                }
            }
            previous = trimmed;
        }
        return result;
    }
}
