package io.lossprism.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lossprism.npy.NpyWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecomposeCommandTest {

    @TempDir
    Path dir;

    /** 1 image, 1x2 pixels, 2 classes, NHWC: worked out by hand in the keras convention. */
    @Test
    void jsonHasExactlyTheDocumentedFieldsAndNullForUndefined() throws IOException {
        // pixel 0: class0 y=1 p=0.5, class1 y=0 p=0.5; pixel 1: class0 y=0 p=0.5, class1 y=0 p=0.5
        Path t = save("t.npy", new long[] {1, 1, 2, 2}, 1, 0, 0, 0);
        Path p = save("p.npy", new long[] {1, 1, 2, 2}, 0.5, 0.5, 0.5, 0.5);

        JsonObject json = new JsonObject(run("--y-true", t.toString(), "--y-pred", p.toString(), "--format", "json",
                "--classes", "road,car"));

        assertThat(json.fieldNames()).containsExactlyInAnyOrder("loss", "convention", "lossFunction", "classes", "iou");
        assertThat(json.getJsonObject("iou").fieldNames()).containsExactlyInAnyOrder("micro", "macro",
                "frequencyWeighted");
        JsonArray classes = json.getJsonArray("classes");
        assertThat(classes.getJsonObject(0).fieldNames()).containsExactlyInAnyOrderElementsOf(Set.of("index", "name",
                "loss", "positiveLoss", "negativeLoss", "meanPositiveLoss", "meanNegativeLoss", "prevalence", "tp",
                "fp", "fn", "tn", "iou", "dice", "precision", "recall"));
        assertThat(json.getDouble("loss")).isCloseTo(Math.log(2), within(1e-12)); // every element costs ln 2
        double sum = 0;
        for (int c = 0; c < 2; c++) {
            sum += classes.getJsonObject(c).getDouble("loss");
        }
        assertThat(sum).isCloseTo(json.getDouble("loss"), within(1e-15));
        JsonObject car = classes.getJsonObject(1);
        assertThat(car.getString("name")).isEqualTo("car");
        assertThat(car.getValue("meanPositiveLoss")).isNull();  // no positive pixel
        assertThat(car.getValue("iou")).isNull();               // absent and never predicted (p = 0.5 is not > 0.5)
        assertThat(car.getValue("recall")).isNull();
        assertThat(json.getString("convention")).isEqualTo("keras");
        assertThat(json.getString("lossFunction")).isEqualTo("bce");
    }

    @Test
    void tableFitsEightyColumnsAndMarksTheWorstClass() throws IOException {
        Path t = save("t.npy", new long[] {1, 2, 2, 3}, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0);
        Path p = save("p.npy", new long[] {1, 2, 2, 3}, .9, .1, .1, .8, .2, .1, .1, .9, .2, .9, .1, .1);
        String table = run("--y-true", t.toString(), "--y-pred", p.toString(), "--classes", "sky,tree,person");
        assertThat(table.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(table).contains("*person").contains("worst class: person");
    }

    @Test
    void classIndexLabelsWorkForCategoricalLoss() throws IOException {
        Path t = save("t.npy", new long[] {1, 2}, 1, 0);               // labels of 2 positions
        Path p = save("p.npy", new long[] {1, 2, 2}, 0, Math.log(3), 0, 0); // NHWC logits
        JsonObject json = new JsonObject(run("--y-true", t.toString(), "--y-pred", p.toString(), "--loss", "cce",
                "--from-logits", "--format", "json"));
        // position 0: softmax(0, ln 3) = (1/4, 3/4), label 1: ln(4/3); position 1: (1/2, 1/2), label 0: ln 2
        assertThat(json.getDouble("loss")).isCloseTo((Math.log(4.0 / 3) + Math.log(2)) / 2, within(1e-12));
    }

    @Test
    void badInputGetsOneLineNamingTheProblem() throws IOException {
        Path t = save("t.npy", new long[] {1, 2, 2}, 1, 0, 0, 1);
        Path p = save("p.npy", new long[] {1, 2, 2}, 0.9, 0.1, 0.2, 0.8);
        Path logits = save("logits.npy", new long[] {1, 2, 2}, 3, -2, 0.5, 1);
        Path nan = save("nan.npy", new long[] {1, 2, 2}, 0.5, Double.NaN, 0.5, 0.5);
        Path wide = save("wide.npy", new long[] {1, 2, 3}, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
        Path corrupt = dir.resolve("corrupt.npy");
        Files.write(corrupt, Files.readAllBytes(p), java.nio.file.StandardOpenOption.CREATE);
        Files.write(corrupt, java.util.Arrays.copyOf(Files.readAllBytes(p), 70));

        assertError("shapes differ", "--y-true", t.toString(), "--y-pred", wide.toString());
        assertError("nan.npy: 1 NaN or infinite value", "--y-true", t.toString(), "--y-pred", nan.toString());
        assertError("logits.npy: values outside [0, 1]", "--y-true", t.toString(), "--y-pred", logits.toString());
        assertError("corrupt.npy", "--y-true", t.toString(), "--y-pred", corrupt.toString());
        assertError("--class-weights: expected 2 values (one per class), got 3", "--y-true", t.toString(),
                "--y-pred", p.toString(), "--class-weights", "1,2,3");
        assertError("--convention: 'tf' is not one of keras, torch, dl4j", "--y-true", t.toString(),
                "--y-pred", p.toString(), "--convention", "tf");
        assertError("missing.npy: no such file", "--y-true", dir.resolve("missing.npy").toString(),
                "--y-pred", p.toString());
        assertError("unknown option '--ytrue'", "--ytrue", t.toString());
        assertError("needs --y-true FILE and --y-pred FILE", "--y-pred", p.toString());
    }

    @Test
    void weightsThatOverflowTheLossAreAnErrorNamingTheOption() throws IOException {
        Path t = save("t.npy", new long[] {1, 2, 3}, 1, 0, 0, 0, 1, 0);
        Path p = save("p.npy", new long[] {1, 2, 3}, 0.1, 0.2, 0.1, 0.3, 0.8, 0.4);
        // class 0 sums -ln 0.1 - ln 0.7 = 2.66 per unit weight: times 1e308 it is above Double.MAX_VALUE

        assertError("--class-weights: the loss overflows (is not a finite number) with these weights", "--y-true",
                t.toString(), "--y-pred", p.toString(), "--class-weights", "1e308,1e308,1e308");
        assertError("--pos-weight: the loss overflows", "--y-true", t.toString(), "--y-pred", p.toString(),
                "--pos-weight", "1e308,1,1");
        assertError("--class-weights, --pos-weight: the loss overflows", "--y-true", t.toString(), "--y-pred",
                p.toString(), "--class-weights", "1e300,1,1", "--pos-weight", "1e300,1,1", "--format", "json");
        Path huge = save("huge.npy", new long[] {1, 2, 3}, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308);
        assertError("--y-pred: the loss of " + huge + " overflows", "--y-true", t.toString(), "--y-pred",
                huge.toString(), "--from-logits");
        // large but representable: still a number
        assertThat(new JsonObject(run("--y-true", t.toString(), "--y-pred", p.toString(), "--class-weights",
                "1e300,1,1", "--format", "json")).getDouble("loss")).isFinite().isGreaterThan(1e299);
    }

    @Test
    void aFifoOrADirectoryIsRefusedWithoutBeingOpened() throws Exception {
        Path t = save("t.npy", new long[] {1, 2, 2}, 1, 0, 0, 1);
        Path fifo = dir.resolve("p.npy");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();

        // opening a FIFO for reading waits for a writer: the limit keeps a regression from hanging the build
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertError("--y-pred: " + fifo + " is not a regular file (a FIFO, socket or device)", "--y-true",
                    t.toString(), "--y-pred", fifo.toString());
            assertError("--y-true: " + dir + " is not a regular file (a directory)", "--y-true", dir.toString(),
                    "--y-pred", fifo.toString());
        });
    }

    private void assertError(String expected, String... args) {
        assertThatThrownBy(() -> run(args)).isInstanceOf(UsageException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DecomposeCommand.run(new ArrayList<>(List.of(args)), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private Path save(String name, long[] shape, double... values) throws IOException {
        Path file = dir.resolve(name);
        NpyWriter.write(file, shape, values);
        return file;
    }
}
