package io.lossprism.bench;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.TrainingStatus;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for training where the feed benchmark cannot train for real: each iteration every thread
 * computes a fixed chunk (a training step spreads over the cores the same way, and waits for its slowest
 * part), then one batch report and one status are published as training publishes them. Iterations per
 * second, alone and under load, show what other work on the machine costs training.
 */
final class FeedTrainingLoad {

    /**
     * The iteration period by default, 50 ms: the live fan-out of a fast run. Real default training (64 px,
     * batch 16) takes about 300 ms an iteration on a 2-core machine; {@code --period} picks another.
     */
    static final long DEFAULT_PERIOD_MILLIS = 50;

    private static volatile double sink;

    private final Vertx server;
    private final SyntheticReports reports;
    private final int epochs;
    private final long chunk;
    private final List<Thread> threads = new ArrayList<>();
    private final CyclicBarrier start;
    private final CyclicBarrier end;
    private volatile boolean running = true;
    private long iteration;
    private long[] finishedAt = new long[1024];
    private int finished;

    /**
     * @param firstIteration the iteration the first published report carries
     * @param chunk          work per thread per iteration, from {@link #calibrate}
     */
    FeedTrainingLoad(
            Vertx server, SyntheticReports reports, int epochs, int threadCount, long firstIteration, long chunk) {
        this.server = server;
        this.reports = reports;
        this.epochs = epochs;
        this.chunk = chunk;
        this.iteration = firstIteration - 1;
        this.start = new CyclicBarrier(threadCount);
        this.end = new CyclicBarrier(threadCount, this::iterationDone);
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(this::loop, "feed-benchmark-training-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    /** The chunk one thread computes in about {@code periodMillis} on this machine now. */
    static long calibrate(long periodMillis) {
        long probe = 1_000_000;
        for (int i = 0; i < 5; i++) {
            work(probe); // let the JIT compile it first
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            work(probe);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return Math.max(1, probe * TimeUnit.MILLISECONDS.toNanos(periodMillis) / Math.max(1, best));
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** The ids of the load's threads, for their CPU time. */
    List<Long> threadIds() {
        return threads.stream().map(Thread::getId).toList();
    }

    /** Iterations per second completed in [from, to) (System.nanoTime()). */
    synchronized double rate(long from, long to) {
        return count(from, to) / ((to - from) / 1e9);
    }

    /** Iterations completed in [from, to). */
    synchronized int count(long from, long to) {
        int n = 0;
        for (int i = 0; i < finished; i++) {
            n += finishedAt[i] >= from && finishedAt[i] < to ? 1 : 0;
        }
        return n;
    }

    void stop() throws InterruptedException {
        running = false;
        start.reset();
        end.reset();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private void loop() {
        try {
            while (running) {
                start.await();
                work(chunk);
                end.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException e) {
            // closed
        }
    }

    /** Runs in the last thread to finish an iteration: the step is done, training reports it. */
    private void iterationDone() {
        long now = System.nanoTime();
        long done;
        synchronized (this) {
            if (finished == finishedAt.length) {
                finishedAt = Arrays.copyOf(finishedAt, finished * 2);
            }
            finishedAt[finished++] = now;
            done = ++iteration;
        }
        BatchReport report = reports.train(done);
        server.eventBus().publish(Addresses.BATCH_REPORT, report);
        server.eventBus()
                .publish(
                        Addresses.TRAINING_STATUS,
                        new TrainingStatus(
                                "benchmark",
                                TrainingStatus.State.TRAINING,
                                report.epoch(),
                                epochs,
                                done,
                                SyntheticReports.ITERATIONS_PER_EPOCH,
                                report.imagesPerSecond(),
                                "",
                                0));
    }

    /** Arithmetic with a dependency chain: neither vectorised nor removed by the JIT. */
    private static void work(long n) {
        double x = 1;
        for (long i = 0; i < n; i++) {
            x = x * 0.999999 + Math.sqrt(i);
        }
        sink = x;
    }
}
