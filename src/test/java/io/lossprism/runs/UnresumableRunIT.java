package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.Codecs;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.Datasets;
import io.lossprism.store.RunStore;
import io.lossprism.store.StoredReport;
import io.lossprism.testing.TestApps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints damaged while the server was down (truncated to 0 bytes): the history is never dropped for
 * want of a readable checkpoint. With none readable the run is marked unresumable and kept, the server
 * trains nothing until the user starts a new run; with an older readable one it resumes from there,
 * rewinding history only to that checkpoint, and retention keeps it.
 */
class UnresumableRunIT {

    private static final List<String> SMALL = List.of(
            "training.imageSize=32",
            "training.batchSize=2",
            "data.trainImages=16",
            "data.validationImages=0",
            "training.epochs=1000",
            "checkpoint.everyIterations=4",
            "checkpoint.everyMinutes=600",
            "checkpoint.keep=3",
            "monitor.samplesEveryIterations=0");

    private Path storage;
    private RunStore store;
    private final List<Vertx> servers = new ArrayList<>();

    @BeforeEach
    void open() {
        storage = TestApps.freshStorage();
        store = RunStore.open(storage);
    }

    @AfterEach
    void close() throws Exception {
        for (Vertx vertx : servers) {
            await(vertx.close());
        }
        store.close();
    }

    /** A "server": a Vert.x with a run manager deployed on the shared store (it resumes or starts a run). */
    private RunManager server() throws Exception {
        Vertx vertx = Vertx.vertx();
        servers.add(vertx);
        Codecs.register(vertx.eventBus());
        List<String> all = Stream.concat(Stream.of("storage.dir=" + storage), SMALL.stream())
                .toList();
        RunManager runs = new RunManager(
                ConfigLoader.load(null, all),
                ConfigLoader.explicitValues(null, SMALL),
                store,
                c -> Datasets.open(c.data(), c.training()));
        await(vertx.deployVerticle(runs));
        return runs;
    }

    private void stopServer(RunManager runs) throws Exception {
        await(runs.shutdown());
        Vertx vertx = servers.remove(servers.size() - 1);
        await(vertx.close());
    }

    /** Trains the first run past {@code iteration}, pauses it (a checkpoint), stops the server: the iteration. */
    private long trainAndStop(RunManager runs, long iteration) throws Exception {
        String id = runs.currentRunId();
        awaitStatus(runs, s -> s.iteration() >= iteration, "iteration " + iteration);
        long paused = await(runs.control(id, "pause")).iteration();
        stopServer(runs);
        return paused;
    }

    @Test
    void withNoReadableCheckpointTheRunIsKeptAsUnresumableAndNothingStartsOver() throws Exception {
        RunManager first = server();
        String id = first.currentRunId();
        long paused = trainAndStop(first, 9);
        Path runDir = storage.resolve("runs").resolve(id);
        List<String> files = checkpointNames(runDir);
        assertThat(files).hasSize(3);
        for (String name : files) {
            Files.write(runDir.resolve(name), new byte[0]);
        }

        for (int restart = 0; restart < 2; restart++) {
            RunManager again = server();
            TrainingStatus status = again.status();
            assertThat(status.state()).as("restart %d", restart).isEqualTo(State.UNRESUMABLE);
            assertThat(again.currentRunId()).isEqualTo(id);
            assertThat(status.message())
                    .contains(files.toArray(String[]::new))
                    .contains("history, up to iteration " + paused + ", is kept")
                    .contains("Start a new run");
            assertThat(storedIterations(id))
                    .isEqualTo(LongStream.rangeClosed(1, paused).boxed().toList());
            assertThat(store.runs()).as("no run started by itself").hasSize(1);
            assertThat(store.run(id).orElseThrow().state()).isEqualTo("unresumable");
            assertThat(store.run(id).orElseThrow().iteration()).isEqualTo(paused);
            assertThat(checkpointNames(runDir)).as("nothing deleted").isEqualTo(files);

            RunException refused = (RunException) failure(again.control(id, "resume"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.getMessage()).contains("cannot resume");
            assertThat(storedIterations(id)).hasSize((int) paused);
            if (restart == 1) {
                String second = await(again.startRun(List.of()));
                assertThat(second).isNotEqualTo(id);
                awaitStatus(again, s -> s.runId().equals(second) && s.iteration() >= 2, "the new run trains");
                assertThat(storedIterations(id))
                        .as("the old run's history is untouched")
                        .hasSize((int) paused);
            }
            stopServer(again);
        }
    }

    @Test
    void anOlderReadableCheckpointIsResumedAndRetentionKeepsIt() throws Exception {
        RunManager first = server();
        String id = first.currentRunId();
        long paused = trainAndStop(first, 9);
        Path runDir = storage.resolve("runs").resolve(id);
        List<String> files = checkpointNames(runDir);
        assertThat(files).hasSize(3).startsWith("checkpoint-000000000004.zip");
        for (String name : files.subList(1, 3)) {
            Files.write(runDir.resolve(name), new byte[0]);
        }

        RunManager again = server();
        assertThat(again.currentRunId()).isEqualTo(id);
        awaitStatus(again, s -> s.state() == State.PAUSED, "resumed paused, as it was stopped");
        assertThat(storedIterations(id)).as("rewound to the readable 4").hasSize(4);
        assertThat(await(again.control(id, "resume")).state()).isEqualTo(State.TRAINING);
        TrainingStatus later = awaitStatus(again, s -> s.iteration() >= 10, "iteration 10");
        TrainingStatus pausedAgain = await(again.control(id, "pause"));

        assertThat(later.runId()).isEqualTo(id);
        assertThat(storedIterations(id))
                .as("rewound to 4, not to 0, then one report per iteration")
                .isEqualTo(LongStream.rangeClosed(1, pausedAgain.iteration())
                        .boxed()
                        .toList());
        assertThat(checkpointNames(runDir))
                .as("the readable 4 kept by retention; the new 8 and the pause checkpoint")
                .contains("checkpoint-000000000004.zip", "checkpoint-000000000008.zip");
        assertThat(paused).isGreaterThan(8);
        assertThat(Files.exists(runDir.resolve(String.format("checkpoint-%012d.zip.unreadable", paused))))
                .as("the damaged newest set aside when 8 was written, not counted")
                .isTrue();
        stopServer(again);
    }

    private List<Long> storedIterations(String id) {
        return store.reports(id, "train", 0, 100_000).stream()
                .map(StoredReport::iteration)
                .toList();
    }

    private static List<String> checkpointNames(Path runDir) throws Exception {
        try (Stream<Path> files = Files.list(runDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("checkpoint-\\d{12}\\.zip"))
                    .sorted()
                    .toList();
        }
    }

    private static TrainingStatus awaitStatus(RunManager runs, Predicate<TrainingStatus> condition, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            TrainingStatus status = runs.status();
            if (condition.test(status)) {
                return status;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not reached within 5 minutes: " + what + "; last " + runs.status());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> future) {
        ExecutionException e =
                org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class, () -> await(future));
        assertThat(e).as("expected the future to fail").isNotNull();
        return e.getCause();
    }
}
