package io.lossprism.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The decompose command against numbers Keras 3 (TensorFlow, torch and JAX backends), PyTorch and
 * torchvision computed themselves for the same arrays (src/test/resources/golden, made by
 * tools/fixtures/make_golden.py): float32 arrays as models return them, saturated and near-saturated,
 * and float64 ones. Each case names the LossPrism options that reproduce the framework call, the
 * defaults included. The loss must match the framework's own scalar to 1e-6 relative, and each class
 * term the framework's own elementwise losses to 1e-6 of the loss; a float32 Dice term allows the
 * rounding of its 1 - D as well (the case says so).
 */
class GoldenFixturesTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesItsFramework() throws IOException {
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            cases = dirs.filter(d -> Files.exists(d.resolve("case.json")))
                    .sorted()
                    .toList();
        }
        assertThat(cases).as("golden cases").hasSizeGreaterThanOrEqualTo(50);
        return cases.stream()
                .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws IOException {
        JsonObject spec = new JsonObject(Files.readString(dir.resolve("case.json")));
        JsonObject result = new JsonObject(run(arguments(dir, spec)));
        JsonObject expected = spec.getJsonObject("expected");
        JsonObject tolerance = spec.getJsonObject("tolerance");

        double loss = expected.getDouble("loss");
        double allowed = Math.max(tolerance.getDouble("relative") * Math.abs(loss), tolerance.getDouble("absolute"));
        assertThat(result.getDouble("loss"))
                .as("loss of %s", spec.getString("call"))
                .isCloseTo(loss, within(allowed));
        JsonArray terms = expected.getJsonArray("classTerms");
        JsonArray classes = result.getJsonArray("classes");
        assertThat(classes).hasSize(terms.size());
        for (int c = 0; c < terms.size(); c++) {
            assertThat(classes.getJsonObject(c).getDouble("loss"))
                    .as("class %d term", c)
                    .isCloseTo(terms.getDouble(c), within(allowed));
        }
    }

    private static List<String> arguments(Path dir, JsonObject spec) {
        List<String> args = new ArrayList<>(List.of(
                "--y-true", dir.resolve("y_true.npy").toString(),
                "--y-pred", dir.resolve("y_pred.npy").toString(),
                "--format", "json"));
        spec.getJsonArray("options").forEach(option -> args.add((String) option));
        return args;
    }

    private static String run(List<String> args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DecomposeCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
