package io.lossprism;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a user runs it: bad input gets one line and exit status 2. */
class MainIT {

    private static final Path JAR = Path.of("target", "lossprism.jar");

    private record Run(int exit, String out, String err) {}

    @Test
    void badValueNamesTheKeyAndExitsWithTwo() throws Exception {
        Run run = run("--set", "training.imageSize=100");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip().lines())
                .containsExactly(
                        "lossprism: training.imageSize: must be a multiple of 16 between 16 and 1024, got 100");
    }

    @Test
    void aMissingDatasetFolderIsOneLineNamingItAndExitsWithTwo(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-dataset");
        Run run = run(
                "--set",
                "storage.dir=" + dir.resolve("storage"),
                "--set",
                "http.port=0",
                "--set",
                "data.source=folder",
                "--set",
                "data.folder=" + missing);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()
                        .strip()
                        .lines()
                        .filter(l -> l.startsWith("lossprism: "))
                        .toList())
                .singleElement()
                .asString()
                .contains(missing.toString())
                .contains("data.folder");
        assertThat(run.err() + run.out()).doesNotContain("\tat ", "Exception:");
    }

    @Test
    void aCorruptHistoryIsRefusedWithOneLineAndExitTwoAndLeftAsItWas(@TempDir Path dir) throws Exception {
        Path storage = dir.resolve("storage");
        Path db = io.lossprism.store.CorruptStores.write(storage);
        byte[] damaged = Files.readAllBytes(db);

        Run run = run("--set", "storage.dir=" + storage, "--set", "http.port=0");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()
                        .strip()
                        .lines()
                        .filter(l -> l.startsWith("lossprism: "))
                        .toList())
                .singleElement()
                .asString()
                .startsWith("lossprism: Run history " + db.toAbsolutePath() + " is corrupt")
                .contains("sqlite3 (.recover or .dump)", "fresh storage.dir", "docs/runbook.md");
        assertThat(run.err() + run.out()).doesNotContain("\tat ", "Exception:", "dashboard http");
        assertThat(Files.readAllBytes(db)).isEqualTo(damaged);
        assertThat(storage.resolve("token")).doesNotExist();
    }

    @Test
    void aNetworkThatDoesNotFitIsOneLineNamingTheFileAndExitsWithTwo(@TempDir Path dir) throws Exception {
        Path model =
                Path.of("src/test/resources/models/keras/softmax-output.h5").toAbsolutePath();
        Run run = run(
                "--set",
                "storage.dir=" + dir.resolve("storage"),
                "--set",
                "http.port=0",
                "--set",
                "model.source=keras",
                "--set",
                "model.file=" + model,
                "--set",
                "training.imageSize=16",
                "--set",
                "training.classes=[a,b,c]",
                "--set",
                "data.trainImages=16");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()
                        .strip()
                        .lines()
                        .filter(l -> l.startsWith("lossprism: "))
                        .toList())
                .singleElement()
                .asString()
                .startsWith("lossprism: model.file " + model + ": its output layer 'classes'")
                .contains("'softmax'");
        assertThat(run.err() + run.out()).doesNotContain("\tat ", "Exception:");
    }

    @Test
    void unknownKeyInAFileIsRefusedWithASuggestion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my.yaml");
        Files.writeString(file, "training:\n  batchsize: 8\n");
        Run run = run("--config", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip().lines()).hasSize(1);
        assertThat(run.err())
                .contains("training.batchsize")
                .contains("training.batchSize")
                .doesNotContain("Exception");
    }

    @Test
    void missingConfigFileIsNamed() throws Exception {
        Run run = run("--config", "/nonexistent/lossprism.yaml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("/nonexistent/lossprism.yaml").doesNotContain("Exception");
    }

    @Test
    void decomposeReportsBadInputOnOneLineWithExitTwo(@TempDir Path dir) throws Exception {
        Path truth = dir.resolve("t.npy");
        Path prediction = dir.resolve("p.npy");
        io.lossprism.npy.NpyWriter.write(truth, new long[] {1, 2, 2}, new double[] {1, 0, 0, 1});
        io.lossprism.npy.NpyWriter.write(prediction, new long[] {1, 2, 3}, new double[] {.5, .5, .5, .5, .5, .5});
        Run run = run("decompose", "--y-true", truth.toString(), "--y-pred", prediction.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip().lines())
                .containsExactly("lossprism: shapes differ: t.npy (1, 2, 2) vs p.npy (1, 2, 3)");
    }

    @Test
    void decomposePrintsTheTable(@TempDir Path dir) throws Exception {
        Path truth = dir.resolve("t.npy");
        Path prediction = dir.resolve("p.npy");
        io.lossprism.npy.NpyWriter.write(truth, new long[] {1, 2, 2}, new double[] {1, 0, 0, 1});
        io.lossprism.npy.NpyWriter.write(prediction, new long[] {1, 2, 2}, new double[] {.9, .2, .1, .3});
        Run run = run(
                "decompose", "--y-true", truth.toString(), "--y-pred", prediction.toString(), "--classes", "road,car");
        assertThat(run.exit()).isZero();
        assertThat(run.out())
                .contains("bce loss, keras convention")
                .contains("*car")
                .contains("road");
    }

    @Test
    void helpPrintsUsage() throws Exception {
        Run run = run("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("--config").contains("--set");
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("run 'mvn package' first").exists();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("lossprism did not exit within 60 s: " + command);
        }
        return new Run(
                process.exitValue(),
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
