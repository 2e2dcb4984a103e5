package io.lossprism.bench;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.launch.Relaunch;
import io.lossprism.model.onednn.OneDnnRuntime;
import io.lossprism.training.FittedBatch;
import io.lossprism.training.OneDnn;
import io.lossprism.training.StepTimer;
import io.lossprism.training.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training throughput of the U-Net at several image sizes, with and without monitoring, measured in one
 * run: both trainers step in alternation so machine noise hits them alike. The monitored trainer runs as
 * a training run does: the decomposition on a monitor thread fed after each {@code fit()}. Two trainers
 * differ by a few percent even when both are bare, so the cost of monitoring is also timed directly: what
 * is left on the training thread (the copy of the output inside {@code fit()}, the hand-over, any wait for
 * room in the queue) as a share of the step, and, apart, the monitor thread's time (the copy to the heap
 * and the decomposition), which overlaps the next step. A second table splits the monitored trainer's
 * step: filling the batch, DL4J's forward pass, backward pass and update (from its listener callbacks),
 * and monitoring. With {@code --dl4j-convolution}, a third, bare trainer whose convolutions run on DL4J's
 * own oneDNN helper ({@code LOSSPRISM_CONVOLUTION=dl4j}) steps in the same alternation, and the table adds
 * its images/s and the speed-up of oneDNN called directly. Timing starts in the JVM's steady state (untimed
 * steps at a small size first, for the JIT), and the bare trainer's median step is shown beside its mean, as
 * the reference scripts of {@code ../shared/bench} report the median.
 *
 * <pre>java -jar target/lossprism.jar benchmark [--sizes 64,128,256] [--steps 6] [--dl4j-convolution] [--set training.batchSize=16]</pre>
 */
public final class TrainingBenchmark {

    /** Untimed steps of each trainer at each size, as {@code ../shared/bench}'s reference scripts take (3). */
    private static final int WARMUP_STEPS = 3;
    /**
     * Untimed steps at {@link #JIT_WARMUP_SIZE} px before the first size, for the JVM's compilers: DL4J's
     * Java code runs a few hundred times per step, and C2 settles after about 20 steps whatever the image
     * size (at 128 px, steps 3-10 of a fresh JVM took 270 ms, steps 30-60 235-245 ms; after 30 steps at
     * 64 px, 240 ms from the third step on). A training run lives in that steady state.
     */
    private static final int JIT_WARMUP_STEPS = 30;

    private static final int JIT_WARMUP_SIZE = 64;

    private TrainingBenchmark() {}

    public static void run(Path configFile, List<String> overrides, List<String> args) {
        AppConfig base = ConfigLoader.load(configFile, overrides);
        int[] sizes = {64, 128, 256};
        int steps = 6;
        boolean compareDl4j = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--dl4j-convolution")) {
                compareDl4j = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new ConfigException("benchmark: " + arg + " needs a value");
            }
            switch (arg) {
                case "--sizes" -> sizes = parseSizes(args.get(++i));
                case "--steps" -> steps = parsePositive("--steps", args.get(++i));
                default ->
                    throw new ConfigException(
                            "benchmark: unknown option " + arg + "; options: --sizes, --steps, --dl4j-convolution");
            }
        }
        OneDnn.enableHelpers();
        System.out.printf(
                "LossPrism training benchmark: batch %d, %d classes, %d timed steps after %d warm-up (and %d"
                        + " at %d px first, for the JIT), backend %s, %d cores, %d ND4J threads, %s%n",
                base.training().batchSize(),
                base.training().classCount(),
                steps,
                WARMUP_STEPS,
                JIT_WARMUP_STEPS,
                JIT_WARMUP_SIZE,
                Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"),
                Runtime.getRuntime().availableProcessors(),
                Nd4j.getEnvironment().maxThreads(),
                Relaunch.describeProcess());
        System.out.printf(
                "%6s %11s %12s %16s %9s %11s %9s %12s %12s %15s %16s %17s%n",
                "size",
                "bare img/s",
                "bare median",
                "monitored img/s",
                "A/B diff",
                "monitor ms",
                "step ms",
                "monitor/step",
                "end wait ms",
                "off-thread ms",
                "off-thread cpu",
                "helper");
        warmUpJit(withSize(configFile, overrides, base, JIT_WARMUP_SIZE));
        List<Row> rows = new ArrayList<>();
        for (int size : sizes) {
            Row row = measure(withSize(configFile, overrides, base, size), steps, compareDl4j);
            rows.add(row);
            System.out.printf(
                    "%6d %11.2f %12.2f %16.2f %8.1f%% %11.2f %9.1f %11.2f%% %12.2f %15.2f %16.2f %17s%n",
                    size,
                    row.bareImagesPerSecond,
                    row.bareMedianImagesPerSecond,
                    row.monitoredImagesPerSecond,
                    100 * (row.bareImagesPerSecond / row.monitoredImagesPerSecond - 1),
                    row.monitorMillis,
                    row.monitoredStepMillis,
                    100 * row.monitorMillis / row.monitoredStepMillis,
                    row.endWaitMillis,
                    row.offThreadMillis,
                    row.offThreadCpuMillis,
                    row.helper);
        }
        System.out.printf(
                "bare img/s: over all timed steps; bare median: from the median step, as ../shared/bench's Keras and"
                        + " PyTorch scripts report%n");
        System.out.printf(
                "monitor ms, monitor/step: monitoring left on the training thread per step (output copy inside fit(),"
                        + " hand-over, waits for room); end wait ms: the wait for the last step's decomposition after"
                        + " the timed steps, once per run (in monitored img/s, not in monitor ms or step ms);"
                        + " off-thread ms: the monitor thread's copy to the heap and decomposition,"
                        + " per step, overlapping the next step (wall clock); off-thread cpu: the processor time"
                        + " it used, taken from the cores training's threads run on%n");
        System.out.printf(
                "%nmonitored step, ms: data = filling the batch; forward, backward, update = DL4J's phases of fit(); "
                        + "monitoring = on the training thread%n");
        System.out.printf(
                "%6s %8s %9s %9s %8s %11s %8s %9s%n",
                "size", "data", "forward", "backward", "update", "monitoring", "other", "step");
        for (int i = 0; i < sizes.length; i++) {
            Row row = rows.get(i);
            Breakdown b = row.breakdown;
            System.out.printf(
                    "%6d %8.1f %9.1f %9.1f %8.1f %11.1f %8.1f %9.1f%n",
                    sizes[i],
                    b.data,
                    b.forward,
                    b.backward,
                    b.update,
                    row.monitorMillis,
                    row.monitoredStepMillis - b.data - b.forward - b.backward - b.update - row.monitorMillis,
                    row.monitoredStepMillis);
        }
        if (compareDl4j) {
            System.out.printf(
                    "%nbare img/s with the convolutions on oneDNN called directly (the default) and on DL4J's helper"
                            + " (LOSSPRISM_CONVOLUTION=dl4j), alternating in this run%n");
            System.out.printf("%6s %11s %12s %9s%n", "size", "oneDNN", "DL4J helper", "speed-up");
            for (int i = 0; i < sizes.length; i++) {
                Row row = rows.get(i);
                System.out.printf(
                        "%6d %11.2f %12.2f %8.2fx%n",
                        sizes[i],
                        row.bareImagesPerSecond,
                        row.dl4jImagesPerSecond,
                        row.bareImagesPerSecond / row.dl4jImagesPerSecond);
            }
        }
    }

    /** Mean milliseconds per step; backward excludes the output copy that runs between the two passes. */
    private record Breakdown(double data, double forward, double backward, double update) {}

    private record Row(
            double bareImagesPerSecond,
            double bareMedianImagesPerSecond,
            double dl4jImagesPerSecond,
            double monitoredImagesPerSecond,
            double monitorMillis,
            double endWaitMillis,
            double offThreadMillis,
            double offThreadCpuMillis,
            double monitoredStepMillis,
            String helper,
            Breakdown breakdown) {}

    private static Row measure(AppConfig config, int steps, boolean compareDl4j) {
        Trainer bare = new Trainer(config, false);
        Trainer monitored = new Trainer(config, true);
        Trainer dl4j = compareDl4j ? dl4jConvolutions(config) : null;
        try (var monitor = monitored.monitorQueue("lossprism-benchmark-monitor")) {
            for (int i = 0; i < WARMUP_STEPS; i++) {
                bare.step();
                monitor.submit(monitored.fit());
                if (dl4j != null) {
                    dl4j.step();
                }
            }
            monitor.drain();
            StepTimer timer = new StepTimer();
            monitored.timeWith(timer);
            long workBefore = monitor.workNanos();
            long cpuBefore = monitor.workCpuNanos();
            long[] bareSteps = new long[steps];
            long dl4jNanos = 0;
            long monitoredNanos = 0;
            long handoffNanos = 0;
            long dataNanos = 0;
            long captureNanos = 0;
            int reports = 0;
            for (int i = 0; i < steps; i++) {
                // alternate which trainer goes first, so neither always inherits the other's cache state
                if (i % 2 == 0) {
                    bareSteps[i] = timed(bare);
                }
                long t0 = System.nanoTime();
                FittedBatch fitted = monitored.fit();
                long t1 = System.nanoTime();
                captureNanos += fitted.captureNanos();
                monitor.submit(fitted);
                reports += monitor.poll().size();
                long t2 = System.nanoTime();
                monitoredNanos += t2 - t0;
                handoffNanos += t2 - t1;
                dataNanos += monitored.dataNanos();
                if (i % 2 == 1) {
                    bareSteps[i] = timed(bare);
                }
                if (dl4j != null) {
                    dl4jNanos += timed(dl4j);
                }
            }
            // The last decomposition still runs: waiting for it is part of the monitored run's images/s, but
            // it happens once per run, not per step (every other decomposition overlaps the next step).
            long t0 = System.nanoTime();
            reports += monitor.drain().size();
            long waited = System.nanoTime() - t0;
            if (reports != steps) {
                throw new IllegalStateException("benchmark: " + reports + " reports for " + steps + " steps");
            }
            double images = (double) steps * config.training().batchSize();
            long bareNanos = Arrays.stream(bareSteps).sum();
            return new Row(
                    images / (bareNanos / 1e9),
                    config.training().batchSize() / (median(bareSteps) / 1e9),
                    dl4j == null ? Double.NaN : images / (dl4jNanos / 1e9),
                    images / ((monitoredNanos + waited) / 1e9),
                    (captureNanos + handoffNanos) / 1e6 / steps,
                    waited / 1e6,
                    (monitor.workNanos() - workBefore) / 1e6 / steps,
                    cpuBefore < 0 ? Double.NaN : (monitor.workCpuNanos() - cpuBefore) / 1e6 / steps,
                    monitoredNanos / 1e6 / steps,
                    OneDnn.helperOfFirstConvolution(monitored.network()),
                    new Breakdown(
                            dataNanos / 1e6 / steps,
                            timer.forwardMillis(),
                            timer.backwardMillis() - captureNanos / 1e6 / steps,
                            timer.updateMillis()));
        }
    }

    /** A bare trainer whose convolutions run on DL4J's own helper (the switch is read as layers are built). */
    private static Trainer dl4jConvolutions(AppConfig config) {
        String before = System.getProperty(OneDnnRuntime.SWITCH_PROPERTY);
        System.setProperty(OneDnnRuntime.SWITCH_PROPERTY, "dl4j");
        try {
            return new Trainer(config, false);
        } finally {
            if (before == null) {
                System.clearProperty(OneDnnRuntime.SWITCH_PROPERTY);
            } else {
                System.setProperty(OneDnnRuntime.SWITCH_PROPERTY, before);
            }
        }
    }

    /** Steps of a bare trainer at the warm-up size, untimed, so that the JIT has compiled the step's Java code. */
    private static void warmUpJit(AppConfig config) {
        Trainer trainer = new Trainer(config, false);
        for (int i = 0; i < JIT_WARMUP_STEPS; i++) {
            trainer.step();
        }
    }

    /** The median; for an even count the upper of the middle two, as ../shared/bench's scripts take it. */
    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long timed(Trainer trainer) {
        long start = System.nanoTime();
        trainer.step();
        return System.nanoTime() - start;
    }

    /** The user's configuration at one image size, with enough images and epochs never to run out. */
    private static AppConfig withSize(Path configFile, List<String> overrides, AppConfig base, int size) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(List.of(
                "training.imageSize=" + size,
                "training.epochs=1000",
                "data.trainImages=" + base.training().batchSize() * 64,
                "data.validationImages=0"));
        return ConfigLoader.load(configFile, all);
    }

    private static int[] parseSizes(String value) {
        try {
            int[] sizes = Arrays.stream(value.split(","))
                    .map(String::trim)
                    .mapToInt(Integer::parseInt)
                    .toArray();
            for (int s : sizes) {
                if (s < 16 || s % 16 != 0) {
                    throw new ConfigException("benchmark: --sizes must be multiples of 16, got " + s);
                }
            }
            return sizes;
        } catch (NumberFormatException e) {
            throw new ConfigException("benchmark: --sizes must be comma-separated integers, got '" + value + "'");
        }
    }

    static int parsePositive(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("benchmark: " + name + " must be a positive integer, got '" + value + "'");
        }
    }
}
