package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.alert.AlertVerticle;
import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.Codecs;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.Dataset;
import io.lossprism.data.Datasets;
import io.lossprism.data.SegmentationBatch;
import io.lossprism.data.Split;
import io.lossprism.store.RunStore;
import io.lossprism.testing.TestApps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs on the real trainer, store and event bus: controls, a non-finite loss, and refused requests. */
class RunManagerIT {

    private static final List<String> SMALL = List.of(
            "training.imageSize=32",
            "training.batchSize=2",
            "data.trainImages=16",
            "data.validationImages=0",
            "training.epochs=1000",
            "checkpoint.everyIterations=10",
            "alerts.warmupIterations=0",
            "monitor.samplesEveryIterations=0");

    private Vertx vertx;
    private RunStore store;
    private Path storage;
    private final List<TrainingStatus> statuses = new CopyOnWriteArrayList<>();
    private final List<AlertEvent> alerts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        storage = TestApps.freshStorage();
        vertx = Vertx.vertx();
        Codecs.register(vertx.eventBus());
        store = RunStore.open(storage);
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> statuses.add(m.body()));
        vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> alerts.add(m.body()));
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
        store.close();
    }

    private AppConfig config() {
        return ConfigLoader.load(
                null,
                Stream.concat(Stream.of("storage.dir=" + storage), SMALL.stream())
                        .toList());
    }

    /** A run manager, deployed: it has started (or resumed) a run. */
    private RunManager manager(java.util.function.Function<AppConfig, Dataset> datasets) throws Exception {
        RunManager runs = new RunManager(config(), ConfigLoader.explicitValues(null, SMALL), store, datasets);
        await(vertx.deployVerticle(runs));
        return runs;
    }

    @Test
    void aNonFiniteLossPausesKeepsTheLastGoodCheckpointAndResumesFromIt() throws Exception {
        AppConfig config = config();
        await(vertx.deployVerticle(new AlertVerticle(config.alerts(), "http://localhost/")));
        AtomicInteger fills = new AtomicInteger();
        RunManager runs = manager(c -> new PoisonedDataset(synthetic(c), fills, 15));
        String id = runs.currentRunId();

        TrainingStatus paused = awaitStatus(s -> s.state() == TrainingStatus.State.PAUSED, Duration.ofSeconds(120));
        assertThat(paused.iteration()).isEqualTo(15);
        assertThat(paused.message()).contains("non-finite loss at iteration 15", "checkpoint at iteration 10");
        AlertEvent alert = awaitAlert(a -> "firing".equals(a.to()), Duration.ofSeconds(10));
        assertThat(alert.alertName()).isEqualTo("LossPrismLossNotFinite");
        assertThat(alert.summary()).contains("first non-finite: classes disc, bar, box, ring, speck");
        Path runDir = storage.resolve("runs").resolve(id);
        assertThat(checkpoints(runDir)).as("the damaged weights are not saved").containsExactly(10L);
        assertThat(store.reportedIterations(id, "train")).isEqualTo(15);
        awaitAmong(
                () -> storedAlertNames(id),
                names -> names.contains("LossPrismLossNotFinite"),
                Duration.ofSeconds(10),
                "stored alert");

        statuses.clear();
        TrainingStatus resumed = await(runs.control(id, "resume"));
        assertThat(resumed.state()).isEqualTo(TrainingStatus.State.TRAINING);
        // the status of the restored point is published to the bus, which may deliver it after the reply
        awaitStatus(s -> s.iteration() == 10, Duration.ofSeconds(10));
        TrainingStatus later = awaitStatus(s -> s.iteration() >= 20, Duration.ofSeconds(120));
        assertThat(later.state()).isEqualTo(TrainingStatus.State.TRAINING);
        TrainingStatus again = await(runs.control(id, "pause"));
        assertThat(store.reportedIterations(id, "train"))
                .as("history rewound to 10, then one report per iteration")
                .isEqualTo(again.iteration());
        assertThat(store.reports(id, "train", 0, 1000))
                .extracting(r -> r.iteration())
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, again.iteration())
                        .boxed()
                        .toList());
        assertThat(storedAlertNames(id))
                .as("the alert at 15 went with the history after the checkpoint at 10")
                .doesNotContain("LossPrismLossNotFinite");
    }

    private List<String> storedAlertNames(String runId) {
        return store.alerts(runId, 100).stream()
                .map(a -> new io.vertx.core.json.JsonObject(a.json()).getString("alertname"))
                .toList();
    }

    @Test
    void controlsFollowTheRunsStateAndASecondRunWaitsForTheFirstToStop() throws Exception {
        RunManager runs = manager(RunManagerIT::synthetic);
        String first = runs.currentRunId();
        awaitStatus(s -> s.iteration() >= 3, Duration.ofSeconds(120));

        assertThat(await(runs.control(first, "pause")).state()).isEqualTo(TrainingStatus.State.PAUSED);
        assertThat(failure(runs.startRun(List.of())))
                .isInstanceOf(RunException.class)
                .hasMessageContaining("stop it before starting another")
                .satisfies(e -> assertThat(((RunException) e).status()).isEqualTo(409));
        assertThat(((RunException) failure(runs.control("nope", "pause"))).status())
                .isEqualTo(404);
        assertThat(((RunException) failure(runs.control(first, "explode"))).status())
                .isEqualTo(400);
        assertThat(((RunException) failure(runs.startRun(List.of("training.classes=[a]")))).status())
                .isEqualTo(400);

        TrainingStatus stopped = await(runs.control(first, "stop"));
        assertThat(stopped.state()).isEqualTo(TrainingStatus.State.STOPPED);
        assertThat(checkpoints(storage.resolve("runs").resolve(first))).contains(stopped.iteration());

        assertThat(((RunException) failure(runs.startRun(List.of("training.epochs=zero")))).getMessage())
                .startsWith("training.epochs: must be an integer");
        String second = await(runs.startRun(List.of("training.epochs=1")));
        assertThat(second).isNotEqualTo(first);
        TrainingStatus finished = awaitStatus(
                s -> s.runId().equals(second) && s.state() == TrainingStatus.State.FINISHED, Duration.ofSeconds(120));
        assertThat(finished.iteration()).isEqualTo(8);
        assertThat(store.run(second).orElseThrow().state()).isEqualTo("finished");
        assertThat(store.run(first).orElseThrow().state()).isEqualTo("stopped");
        Map<String, Object> stored = new io.vertx.core.json.JsonObject(
                        store.run(second).orElseThrow().configJson())
                .getMap();
        assertThat(stored).containsEntry("training.epochs", 1).doesNotContainKey("storage.dir");
    }

    private static Dataset synthetic(AppConfig c) {
        return Datasets.open(c.data(), c.training());
    }

    /** Serves one batch of NaN images (the given fill of the whole process), otherwise the real data. */
    private record PoisonedDataset(Dataset real, AtomicInteger fills, int poisonedFill) implements Dataset {

        @Override
        public int imageSize() {
            return real.imageSize();
        }

        @Override
        public int classes() {
            return real.classes();
        }

        @Override
        public int size(Split split) {
            return real.size(split);
        }

        @Override
        public void fill(Split split, int[] indices, SegmentationBatch batch) {
            real.fill(split, indices, batch);
            if (split == Split.TRAIN && fills.incrementAndGet() == poisonedFill) {
                Arrays.fill(batch.images(), Float.NaN);
            }
        }

        @Override
        public String describe() {
            return "poisoned " + real.describe();
        }
    }

    private TrainingStatus awaitStatus(Predicate<TrainingStatus> condition, Duration limit) throws Exception {
        return awaitAmong(statuses, condition, limit, "status");
    }

    private AlertEvent awaitAlert(Predicate<AlertEvent> condition, Duration limit) throws Exception {
        return awaitAmong(alerts, condition, limit, "alert");
    }

    /** The first of {@code seen} (filled by a bus consumer) meeting {@code condition}, waiting up to {@code limit}. */
    private static <T> T awaitAmong(List<T> seen, Predicate<T> condition, Duration limit, String what)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (T item : seen) {
                if (condition.test(item)) {
                    return item;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such " + what + " within " + limit + "; last: "
                + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)));
    }

    /** The first value of {@code read} meeting {@code condition}, reading again up to {@code limit}. */
    private static <T> T awaitAmong(
            java.util.function.Supplier<T> read, Predicate<T> condition, Duration limit, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        T value = read.get();
        while (!condition.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such " + what + " within " + limit + "; last: " + value);
            }
            Thread.sleep(20);
            value = read.get();
        }
        return value;
    }

    private static List<Long> checkpoints(Path runDir) throws Exception {
        try (Stream<Path> files = Files.list(runDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("checkpoint-\\d{12}\\.zip"))
                    .map(n -> Long.parseLong(n.substring(11, 23)))
                    .sorted()
                    .toList();
        }
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
