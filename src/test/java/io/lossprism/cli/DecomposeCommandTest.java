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

    /**
     * 1 image, 1x2 pixels, 2 classes, NHWC: worked out by hand in the keras convention, which computes
     * in float32 (Keras' floatx) whatever the file's dtype: each element costs ln 2 rounded to float32.
     */
    @Test
    void jsonHasExactlyTheDocumentedFieldsAndNullForUndefined() throws IOException {
        // pixel 0: class0 y=1 p=0.5, class1 y=0 p=0.5; pixel 1: class0 y=0 p=0.5, class1 y=0 p=0.5
        Path t = save("t.npy", new long[] {1, 1, 2, 2}, 1, 0, 0, 0);
        Path p = save("p.npy", new long[] {1, 1, 2, 2}, 0.5, 0.5, 0.5, 0.5);

        JsonObject json = new JsonObject(
                run("--y-true", t.toString(), "--y-pred", p.toString(), "--format", "json", "--classes", "road,car"));

        assertThat(json.fieldNames())
                .containsExactlyInAnyOrder("loss", "convention", "precision", "lossFunction", "classes", "iou");
        assertThat(json.getJsonObject("iou").fieldNames())
                .containsExactlyInAnyOrder("micro", "macro", "frequencyWeighted");
        JsonArray classes = json.getJsonArray("classes");
        assertThat(classes.getJsonObject(0).fieldNames())
                .containsExactlyInAnyOrderElementsOf(Set.of(
                        "index",
                        "name",
                        "loss",
                        "positiveLoss",
                        "negativeLoss",
                        "meanPositiveLoss",
                        "meanNegativeLoss",
                        "prevalence",
                        "tp",
                        "fp",
                        "fn",
                        "tn",
                        "iou",
                        "dice",
                        "precision",
                        "recall"));
        assertThat(json.getDouble("loss")).isEqualTo((double) (float) Math.log(2)); // every element: ln 2 in float32
        double sum = 0;
        for (int c = 0; c < 2; c++) {
            sum += classes.getJsonObject(c).getDouble("loss");
        }
        assertThat(sum).isCloseTo(json.getDouble("loss"), within(1e-15));
        JsonObject car = classes.getJsonObject(1);
        assertThat(car.getString("name")).isEqualTo("car");
        assertThat(car.getValue("meanPositiveLoss")).isNull(); // no positive pixel
        assertThat(car.getValue("iou")).isNull(); // absent and never predicted (p = 0.5 is not > 0.5)
        assertThat(car.getValue("recall")).isNull();
        assertThat(json.getString("convention")).isEqualTo("keras");
        assertThat(json.getString("precision")).isEqualTo("float32");
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
        Path t = save("t.npy", new long[] {1, 2}, 1, 0); // labels of 2 positions
        Path p = save("p.npy", new long[] {1, 2, 2}, 0, Math.log(3), 0, 0); // NHWC logits
        JsonObject json = new JsonObject(run(
                "--y-true",
                t.toString(),
                "--y-pred",
                p.toString(),
                "--loss",
                "cce",
                "--from-logits",
                "--format",
                "json"));
        // position 0: softmax(0, ln 3) = (1/4, 3/4), label 1: ln(4/3); position 1: (1/2, 1/2), label 0: ln 2
        assertThat(json.getDouble("loss")).isCloseTo((Math.log(4.0 / 3) + Math.log(2)) / 2, within(1e-7));
    }

    /**
     * Keras computes in float32 whatever the file's dtype; PyTorch in the file's dtype. A negative
     * predicted exactly 1.0 costs 23 ln 2 in float32 (clip at 1 - 2^-23) and -ln(1e-7) in float64.
     */
    @Test
    void precisionFollowsTheFrameworkAndTheFile() throws IOException {
        Path t = save("t.npy", new long[] {1, 1}, 0);
        Path p64 = save("p64.npy", new long[] {1, 1}, 1);
        Path p32 = saveFloat32("p32.npy", new long[] {1, 1}, 0.5f);
        double keras =
                json("--y-true", t.toString(), "--y-pred", p64.toString()).getDouble("loss");
        double keras64 = json("--y-true", t.toString(), "--y-pred", p64.toString(), "--precision", "float64")
                .getDouble("loss");
        assertThat(keras).isCloseTo(23 * Math.log(2), within(1e-6));
        assertThat(keras64).isCloseTo(-Math.log(1e-7), within(1e-9));
        JsonObject torch32 = json("--y-true", t.toString(), "--y-pred", p32.toString(), "--convention", "pytorch");
        assertThat(torch32.getString("precision")).isEqualTo("float32");
        assertThat(torch32.getString("convention")).isEqualTo("torch");
        assertThat(json("--y-true", t.toString(), "--y-pred", p64.toString(), "--convention", "torch")
                        .getString("precision"))
                .isEqualTo("float64");
    }

    /**
     * Each convention's own defaults: keras.losses.Dice() has no smoothing and 1e-7 in the denominator;
     * torch and dl4j have no Dice, and LossPrism's is the dice_coef with smoothing 1; --smooth alone
     * means a dice_coef (no epsilon). y = [1, 0], p = [0.5, 0.5]: I = 0.5, U = 2.
     */
    @Test
    void diceDefaultsAreEachFrameworksOwn() throws IOException {
        Path t = save("t.npy", new long[] {1, 2, 1}, 1, 0);
        Path p = save("p.npy", new long[] {1, 2, 1}, 0.5, 0.5);
        String[] files = {"--y-true", t.toString(), "--y-pred", p.toString(), "--loss", "dice"};
        assertThat(loss(files, "--convention", "keras")).isCloseTo(1 - 1 / (2 + 1e-7), within(1e-7));
        assertThat(loss(files, "--convention", "keras", "--precision", "float64"))
                .isCloseTo(1 - 1 / (2 + 1e-7), within(1e-15));
        assertThat(loss(files, "--convention", "torch")).isCloseTo(1 - 2 / 3.0, within(1e-15));
        assertThat(loss(files, "--convention", "keras", "--smooth", "1", "--precision", "float64"))
                .isCloseTo(1 - 2 / 3.0, within(1e-15));
        assertThat(loss(files, "--convention", "torch", "--smooth", "0", "--dice-epsilon", "0.5"))
                .isCloseTo(1 - 1 / 2.5, within(1e-15));
    }

    /** Focal at p = 0.5 for a positive: (1/2)^2 ln 2, times alpha 0.25 by torchvision's default. */
    @Test
    void focalDefaultsAreEachFrameworksOwn() throws IOException {
        Path t = save("t.npy", new long[] {1, 1}, 1);
        Path z = save("z.npy", new long[] {1, 1}, 0);
        String[] files = {"--y-true", t.toString(), "--y-pred", z.toString(), "--loss", "focal", "--from-logits"};
        double plain = 0.25 * Math.log(2);
        assertThat(loss(files, "--convention", "keras", "--precision", "float64"))
                .isCloseTo(plain, within(1e-15));
        assertThat(loss(files, "--convention", "torch")).isCloseTo(0.25 * plain, within(1e-15));
        assertThat(loss(files, "--convention", "torch", "--alpha", "none")).isCloseTo(plain, within(1e-15));
        assertThat(loss(files, "--convention", "keras", "--alpha", "0.25", "--precision", "float64"))
                .isCloseTo(0.25 * plain, within(1e-15));
    }

    private double loss(String[] files, String... more) {
        List<String> args = new ArrayList<>(List.of(files));
        args.addAll(List.of(more));
        return json(args.toArray(String[]::new)).getDouble("loss");
    }

    private JsonObject json(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--format", "json"));
        return new JsonObject(run(all.toArray(String[]::new)));
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
        assertError(
                "--class-weights: expected 2 values (one per class), got 3",
                "--y-true",
                t.toString(),
                "--y-pred",
                p.toString(),
                "--class-weights",
                "1,2,3");
        assertError(
                "--convention: 'tf' is not one of keras, keras-torch, keras-jax, torch, pytorch, dl4j",
                "--y-true",
                t.toString(),
                "--y-pred",
                p.toString(),
                "--convention",
                "tf");
        assertError(
                "--precision: 'half' is not one of float32, float64",
                "--y-true",
                t.toString(),
                "--y-pred",
                p.toString(),
                "--precision",
                "half");
        assertError(
                "missing.npy: no such file",
                "--y-true",
                dir.resolve("missing.npy").toString(),
                "--y-pred",
                p.toString());
        assertError("unknown option '--ytrue'", "--ytrue", t.toString());
        assertError("needs --y-true FILE and --y-pred FILE", "--y-pred", p.toString());
    }

    @Test
    void weightsThatOverflowTheLossAreAnErrorNamingTheOption() throws IOException {
        Path t = save("t.npy", new long[] {1, 2, 3}, 1, 0, 0, 0, 1, 0);
        Path p = save("p.npy", new long[] {1, 2, 3}, 0.1, 0.2, 0.1, 0.3, 0.8, 0.4);
        // class 0 sums -ln 0.1 - ln 0.7 = 2.66 per unit weight: times 1e308 it is above Double.MAX_VALUE

        assertError(
                "--class-weights: the loss overflows (is not a finite number) with these weights",
                "--y-true",
                t.toString(),
                "--y-pred",
                p.toString(),
                "--class-weights",
                "1e308,1e308,1e308");
        assertError(
                "--pos-weight: the loss overflows",
                "--y-true",
                t.toString(),
                "--y-pred",
                p.toString(),
                "--pos-weight",
                "1e308,1,1");
        assertError(
                "--class-weights, --pos-weight: the loss overflows",
                "--y-true",
                t.toString(),
                "--y-pred",
                p.toString(),
                "--class-weights",
                "1e300,1,1",
                "--pos-weight",
                "1e300,1,1",
                "--format",
                "json");
        Path huge = save("huge.npy", new long[] {1, 2, 3}, 1e308, 1e308, 1e308, 1e308, 1e308, 1e308);
        assertError(
                "--y-pred: the loss of " + huge + " overflows",
                "--y-true",
                t.toString(),
                "--y-pred",
                huge.toString(),
                "--from-logits");
        // large but representable: still a number
        assertThat(new JsonObject(run(
                                "--y-true",
                                t.toString(),
                                "--y-pred",
                                p.toString(),
                                "--class-weights",
                                "1e300,1,1",
                                "--format",
                                "json"))
                        .getDouble("loss"))
                .isFinite()
                .isGreaterThan(1e299);
    }

    @Test
    void aFifoOrADirectoryIsRefusedWithoutBeingOpened() throws Exception {
        Path t = save("t.npy", new long[] {1, 2, 2}, 1, 0, 0, 1);
        Path fifo = dir.resolve("p.npy");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();

        // opening a FIFO for reading waits for a writer: the limit keeps a regression from hanging the build
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertError(
                    "--y-pred: " + fifo + " is not a regular file (a FIFO, socket or device)",
                    "--y-true",
                    t.toString(),
                    "--y-pred",
                    fifo.toString());
            assertError(
                    "--y-true: " + dir + " is not a regular file (a directory)",
                    "--y-true",
                    dir.toString(),
                    "--y-pred",
                    fifo.toString());
        });
    }

    private void assertError(String expected, String... args) {
        assertThatThrownBy(() -> run(args))
                .isInstanceOf(UsageException.class)
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

    /** A float32 .npy file (version 1.0, little-endian, C order), as np.save writes one. */
    private Path saveFloat32(String name, long[] shape, float... values) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': ("
                + dims.toString().strip() + "), }";
        int length = 10 + header.length() + 1;
        header = header + " ".repeat((64 - length % 64) % 64) + "\n";
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(10 + header.length() + 4 * values.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        buffer.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : values) {
            buffer.putFloat(v);
        }
        Path file = dir.resolve(name);
        Files.write(file, buffer.array());
        return file;
    }
}
