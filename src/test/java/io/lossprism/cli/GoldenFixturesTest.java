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
 * The decompose command against numbers Keras 3 and PyTorch computed themselves for the same arrays
 * (src/test/resources/golden, made by tools/fixtures/make_golden.py). The scalar must match to 1e-6
 * relative, and so must each class term the framework's own per-element losses give.
 */
class GoldenFixturesTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final double RELATIVE = 1e-6;

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesItsFramework() throws IOException {
        List<Path> cases;
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            cases = dirs.filter(d -> Files.exists(d.resolve("case.json"))).sorted().toList();
        }
        assertThat(cases).as("golden cases").hasSizeGreaterThanOrEqualTo(20);
        return cases.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws IOException {
        JsonObject spec = new JsonObject(Files.readString(dir.resolve("case.json")));
        JsonObject result = new JsonObject(run(arguments(dir, spec)));
        JsonObject expected = spec.getJsonObject("expected");

        double loss = expected.getDouble("loss");
        assertThat(result.getDouble("loss")).as("loss").isCloseTo(loss, within(RELATIVE * Math.abs(loss)));
        JsonArray terms = expected.getJsonArray("classTerms");
        if (terms != null) {
            JsonArray classes = result.getJsonArray("classes");
            assertThat(classes).hasSize(terms.size());
            for (int c = 0; c < terms.size(); c++) {
                double term = terms.getDouble(c);
                assertThat(classes.getJsonObject(c).getDouble("loss")).as("class %d term", c)
                        .isCloseTo(term, within(RELATIVE * Math.abs(loss)));
            }
        }
    }

    private static List<String> arguments(Path dir, JsonObject spec) {
        List<String> args = new ArrayList<>(List.of(
                "--y-true", dir.resolve("y_true.npy").toString(),
                "--y-pred", dir.resolve("y_pred.npy").toString(),
                "--layout", spec.getString("layout"),
                "--loss", spec.getString("loss"),
                "--convention", spec.getString("convention"),
                "--format", "json"));
        if (spec.getBoolean("fromLogits")) {
            args.add("--from-logits");
        }
        addList(args, "--class-weights", spec.getJsonArray("classWeights"));
        addList(args, "--pos-weight", spec.getJsonArray("posWeight"));
        if (spec.getValue("gamma") != null) {
            args.addAll(List.of("--gamma", spec.getValue("gamma").toString()));
        }
        Double alpha = spec.getDouble("alpha");
        boolean balancing = "torch".equals(spec.getString("framework"))
                ? alpha != null && alpha >= 0 : Boolean.TRUE.equals(spec.getBoolean("applyClassBalancing"));
        if (balancing) {
            args.addAll(List.of("--alpha", alpha.toString()));
        }
        if (spec.getString("dice") != null) {
            args.addAll(List.of("--dice", spec.getString("dice")));
        }
        if (spec.getValue("smooth") != null) {
            args.addAll(List.of("--smooth", spec.getValue("smooth").toString()));
        }
        return args;
    }

    private static void addList(List<String> args, String option, JsonArray values) {
        if (values != null) {
            List<String> parts = new ArrayList<>();
            values.forEach(v -> parts.add(v.toString()));
            args.addAll(List.of(option, String.join(",", parts)));
        }
    }

    private static String run(List<String> args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DecomposeCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
