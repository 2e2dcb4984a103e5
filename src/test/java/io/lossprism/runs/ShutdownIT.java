package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.lossprism.LossPrismApp;
import io.lossprism.store.RunRecord;
import io.lossprism.store.RunStore;
import io.lossprism.store.StoredReport;
import io.lossprism.testing.CapturedLog;
import io.lossprism.testing.CheckpointFiles;
import io.lossprism.testing.TestApps;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A training server stopped mid-run ten times, at varying moments (some during an interval checkpoint,
 * which comes every 3 iterations here), each time restarted on the same storage. After every stop the
 * stored history agrees with the newest checkpoint: one report per iteration up to its iteration, none
 * beyond, no alert beyond it, the run's row at it; and nothing was logged as an error (no write after the
 * store closed, no rejected task).
 */
class ShutdownIT {

    private static final String[] SMALL = {
        "training.imageSize=32",
        "training.batchSize=2",
        "data.trainImages=16",
        "data.validationImages=0",
        "training.epochs=1000",
        "checkpoint.everyIterations=3",
        "alerts.warmupIterations=0",
        "monitor.samplesEveryIterations=0"
    };

    @RegisterExtension
    final CapturedLog log = new CapturedLog();

    @Test
    void everyStopLeavesHistoryAndCheckpointInAgreementAndLogsNoError() throws Exception {
        Path storage = TestApps.freshStorage();
        String runId = null;
        long[] further = {1, 4, 2, 7, 3, 5, 9, 6, 2, 8};
        for (int stop = 0; stop < further.length; stop++) {
            LossPrismApp app = TestApps.start(storage, SMALL);
            long target;
            try {
                long from = awaitIteration(app, 0, 0);
                target = from + further[stop];
                awaitIteration(app, target, stop);
                runId = app.runs().currentRunId();
            } finally {
                app.close().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            }

            long checkpoint = CheckpointFiles.newest(storage.resolve("runs").resolve(runId));
            assertThat(checkpoint).as("stop %d: checkpointed at shutdown", stop).isGreaterThanOrEqualTo(target);
            try (RunStore store = RunStore.open(storage)) {
                assertThat(store.runs()).as("stop %d: one run throughout", stop).hasSize(1);
                assertThat(store.reports(runId, "train", 0, 100_000))
                        .extracting(StoredReport::iteration)
                        .as("stop %d: one report per iteration up to the checkpoint at %d", stop, checkpoint)
                        .isEqualTo(LongStream.rangeClosed(1, checkpoint).boxed().toList());
                assertThat(store.alerts(runId, 100_000))
                        .allSatisfy(a -> assertThat(a.iteration()).isLessThanOrEqualTo(checkpoint));
                RunRecord run = store.run(runId).orElseThrow();
                assertThat(run.iteration()).as("stop %d: the run's row", stop).isEqualTo(checkpoint);
                assertThat(run.state()).isEqualTo("training");
            }
            assertThat(errors()).as("stop %d: errors logged", stop).isEmpty();
        }
    }

    private List<String> errors() {
        return log.atLeast(Level.ERROR).stream()
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : " " + e.getThrowableProxy().getClassName() + ": "
                                        + e.getThrowableProxy().getMessage()))
                .toList();
    }

    /** Waits until the run trains at {@code iteration} or beyond (up to 2 minutes); its iteration. */
    private static long awaitIteration(LossPrismApp app, long iteration, int stop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            var status = app.runs().status();
            if (status.state() == io.lossprism.bus.TrainingStatus.State.TRAINING && status.iteration() >= iteration) {
                return status.iteration();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("stop " + stop + ": iteration " + iteration + " not reached; "
                + app.runs().status());
    }
}
