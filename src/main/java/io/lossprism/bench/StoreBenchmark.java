package io.lossprism.bench;

import io.lossprism.bus.ReportJson;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.store.ReportRow;
import io.lossprism.store.RetentionResult;
import io.lossprism.store.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the run history sustains, with reports as training stores them (the configured classes, every
 * field): appends per second one per transaction (as training's journal writes) and in batches, bytes
 * on disk per report, and the rate of retention's downsampling. Works on a fresh store in a temporary
 * folder, deleted at the end. Prints figures, and whether the stored rows still stand for every report.
 *
 * <pre>java -jar target/lossprism.jar benchmark store [--single 1000] [--batched 4000] [--batch 100] [--factor 10]</pre>
 */
public final class StoreBenchmark {

    private static final String RUN = "store-benchmark";
    private static final String SPLIT = "train";
    private static final int WARMUP = 300;

    private final int single;
    private final int batched;
    private final int batch;
    private final int factor;

    private StoreBenchmark(int single, int batched, int batch, int factor) {
        this.single = single;
        this.batched = batched;
        this.batch = batch;
        this.factor = factor;
    }

    public static void run(Path configFile, List<String> overrides, List<String> args) throws IOException {
        int single = 1_000;
        int batched = 4_000;
        int batch = 100;
        int factor = 10;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (i + 1 >= args.size()) {
                throw new ConfigException("benchmark store: " + arg + " needs a value");
            }
            switch (arg) {
                case "--single" -> single = TrainingBenchmark.parsePositive(arg, args.get(++i));
                case "--batched" -> batched = TrainingBenchmark.parsePositive(arg, args.get(++i));
                case "--batch" -> batch = TrainingBenchmark.parsePositive(arg, args.get(++i));
                case "--factor" -> factor = TrainingBenchmark.parsePositive(arg, args.get(++i));
                default ->
                    throw new ConfigException("benchmark store: unknown option " + arg
                            + "; options: --single, --batched, --batch, --factor");
            }
        }
        List<String> classes =
                ConfigLoader.load(configFile, overrides).training().classes();
        Path dir = Files.createTempDirectory("lossprism-store-benchmark-");
        try {
            new StoreBenchmark(single, batched, batch, factor).measure(dir, classes);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** One pass's timings, in nanoseconds, and the database's size after it. */
    private record Pass(
            long singleNanos,
            long batchedNanos,
            long bytes,
            long downsampleNanos,
            RetentionResult result,
            long represented) {}

    private void measure(Path dir, List<String> classes) throws IOException {
        int total = single + batched;
        // made before the clock starts: the figures are the store's, not JSON encoding's
        SyntheticReports source = new SyntheticReports(classes);
        List<String> jsons = new ArrayList<>(total);
        for (int i = 1; i <= total; i++) {
            jsons.add(ReportJson.batch(source.train(i)).encode());
        }
        System.out.printf(
                "LossPrism store benchmark: %d classes, report JSON %d chars, %d + %d reports%n",
                classes.size(), jsons.get(0).length(), single, batched);
        // an untimed pass on a store of its own first: the JIT and SQLite's native library warm up
        new StoreBenchmark(Math.min(single, WARMUP), Math.min(batched, WARMUP), batch, factor)
                .pass(Files.createDirectory(dir.resolve("warmup")), jsons);
        Pass pass = pass(Files.createDirectory(dir.resolve("measured")), jsons);

        System.out.printf("appends, one per transaction: %10.0f reports/s%n", single / seconds(pass.singleNanos()));
        System.out.printf(
                "appends, %4d per transaction: %10.0f reports/s%n", batch, batched / seconds(pass.batchedNanos()));
        System.out.printf("on disk: %.0f bytes per report%n", (double) pass.bytes() / total);
        System.out.printf(
                "downsample x%d: %10.0f reports/s (%d rows to %d)%n",
                factor,
                total / seconds(pass.downsampleNanos()),
                pass.result().rowsBefore(),
                pass.result().rowsAfter());
        System.out.printf(
                "stored rows stand for %d of %d reports: %s%n",
                pass.represented(), total, pass.represented() == total ? "EQUAL" : "MISMATCH");
    }

    private Pass pass(Path dir, List<String> jsons) throws IOException {
        int total = single + batched;
        Path file;
        long t0;
        long t1;
        long t2;
        try (RunStore store = RunStore.open(dir)) {
            file = store.file();
            store.createRun(RUN, "{}", System.currentTimeMillis());
            t0 = System.nanoTime();
            for (int i = 1; i <= single; i++) {
                store.appendReport(RUN, SPLIT, i, jsons.get(i - 1));
            }
            t1 = System.nanoTime();
            for (int from = single + 1; from <= total; from += batch) {
                List<ReportRow> rows = new ArrayList<>(batch);
                for (int i = from; i < Math.min(from + batch, total + 1); i++) {
                    rows.add(new ReportRow(SPLIT, i, jsons.get(i - 1)));
                }
                store.appendReports(RUN, rows);
            }
            t2 = System.nanoTime();
        }
        // closed: the write-ahead log is folded into the file, so its size is what the reports take
        long bytes = Files.size(file);
        try (RunStore store = RunStore.open(dir)) {
            long t3 = System.nanoTime();
            RetentionResult result = store.downsample(RUN, total, factor);
            long t4 = System.nanoTime();
            return new Pass(t1 - t0, t2 - t1, bytes, t4 - t3, result, store.reportedIterations(RUN, SPLIT));
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
