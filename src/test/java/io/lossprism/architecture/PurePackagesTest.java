package io.lossprism.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pure packages (math, rules, drawing) import neither Vert.x, DL4J/ND4J nor Micrometer, so they can
 * be read, tested and reused without a running server or a native backend. Checked on the sources.
 */
class PurePackagesTest {

    private static final Path MAIN = Path.of("src/main/java/io/lossprism");
    private static final List<String> FRAMEWORKS =
            List.of("import io.vertx.", "import org.deeplearning4j.", "import org.nd4j.", "import io.micrometer.");

    @ParameterizedTest
    @ValueSource(strings = {"loss", "objective", "alert/rules", "probes", "series", "npy", "compare"})
    void importsNoFramework(String pkg) throws IOException {
        Path dir = MAIN.resolve(pkg);
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> offending = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(PurePackagesTest::frameworkImports)
                    .toList();
            assertThat(offending).as("framework imports in %s", pkg).isEmpty();
        }
    }

    private static Stream<String> frameworkImports(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> FRAMEWORKS.stream().anyMatch(line::startsWith))
                    .map(line -> file.getFileName() + ": " + line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
