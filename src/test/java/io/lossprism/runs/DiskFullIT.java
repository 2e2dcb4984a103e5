package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.Codecs;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.Datasets;
import io.lossprism.store.RunStore;
import io.lossprism.store.StoredReport;
import io.lossprism.testing.CheckpointFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose storage folder fills up, on a real 48 MB tmpfs (mounting needs root: skipped, and reported
 * as skipped, elsewhere; CheckpointsTest and RunStoreFullTest cover the same failures without root). The
 * run pauses with a message naming the folder, leaves no partial checkpoint and a consistent history, and
 * resumes once there is room again, from its newest checkpoint.
 */
class DiskFullIT {

    private static final List<String> SMALL = List.of(
            "training.imageSize=32",
            "training.batchSize=2",
            "data.trainImages=16",
            "data.validationImages=0",
            "training.epochs=1000",
            "checkpoint.everyIterations=5",
            "checkpoint.keep=2",
            "monitor.samplesEveryIterations=0");

    private Path mount;
    private Vertx vertx;
    private RunStore store;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        mount = Files.createTempDirectory("lossprism-full-");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
                .redirectErrorStream(true)
                .start();
        boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
    }

    @AfterEach
    void unmount() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        }
        if (store != null) {
            store.close();
        }
        new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
        Files.deleteIfExists(mount);
    }

    @Test
    void aFullDiskPausesTheRunConsistentlyAndResumeWorksOnceThereIsRoom() throws Exception {
        Path storage = mount.resolve("data");
        store = RunStore.open(storage);
        vertx = Vertx.vertx();
        Codecs.register(vertx.eventBus());
        List<String> all = Stream.concat(Stream.of("storage.dir=" + storage), SMALL.stream())
                .toList();
        RunManager runs = new RunManager(
                ConfigLoader.load(null, all),
                ConfigLoader.explicitValues(null, SMALL),
                store,
                c -> Datasets.open(c.data(), c.training()));
        await(vertx.deployVerticle(runs));
        String id = runs.currentRunId();
        Path runDir = storage.resolve("runs").resolve(id);
        awaitStatus(runs, s -> s.iteration() >= 7, "iteration 7");

        Path filler = mount.resolve("filler");
        fill(filler);
        TrainingStatus paused = awaitStatus(runs, s -> s.state() == State.PAUSED, "paused by the full disk");

        assertThat(paused.message()).contains("disk full", mount.toString(), "MB", "then resume");
        assertThat(names(runDir)).as("no partial checkpoint left").noneMatch(n -> n.endsWith(".tmp"));
        long checkpoint = CheckpointFiles.newest(runDir);
        assertThat(checkpoint).isPositive();
        List<Long> stored = iterations(id);
        assertThat(stored)
                .as("the history is contiguous: 1..%d", stored.size())
                .isEqualTo(LongStream.rangeClosed(1, stored.size()).boxed().toList());
        assertThat((long) stored.size()).isGreaterThanOrEqualTo(checkpoint);

        Files.delete(filler);
        TrainingStatus resumed = await(runs.control(id, "resume"));
        assertThat(resumed.state()).isEqualTo(State.TRAINING);
        awaitStatus(runs, s -> s.iteration() >= checkpoint + 6, "training on after the checkpoint");
        TrainingStatus again = await(runs.control(id, "pause"));

        assertThat(iterations(id))
                .as("rewound to the checkpoint at %d, then one report per iteration", checkpoint)
                .isEqualTo(LongStream.rangeClosed(1, again.iteration()).boxed().toList());
        assertThat(store.run(id).orElseThrow().iteration()).isEqualTo(again.iteration());
    }

    /** Writes into {@code file} until the disk is full. */
    private static void fill(Path file) {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left on device");
        }
    }

    private List<Long> iterations(String id) {
        return store.reports(id, "train", 0, 100_000).stream()
                .map(StoredReport::iteration)
                .toList();
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static TrainingStatus awaitStatus(RunManager runs, Predicate<TrainingStatus> condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            TrainingStatus status = runs.status();
            if (condition.test(status)) {
                return status;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not reached within 2 minutes: " + what + "; last " + runs.status());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
