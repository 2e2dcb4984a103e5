package io.lossprism.bench;

import io.lossprism.LossPrismApp;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server as users run it, for a long time: training at 64 px with {@code --clients} dashboard
 * WebSockets connected, sampling resident memory (RSS) and heap every {@code --sample} seconds. At the
 * end it pauses the run and checks that the store holds exactly one report per iteration. Prints the
 * samples, the slope of RSS and of heap after GC over the second half (after warm-up), in MB per hour,
 * and writes the samples as CSV.
 *
 * <pre>java -jar target/lossprism.jar benchmark soak [--minutes 30] [--clients 10] [--sample 30] [--csv target/soak.csv]</pre>
 */
public final class SoakBenchmark {

    private SoakBenchmark() {}

    record Measurement(
            double minutes,
            long iteration,
            double rssMb,
            double heapMb,
            double heapAfterGcMb,
            double heapCommittedMb,
            long messages) {}

    public static void run(Path configFile, List<String> overrides, List<String> args) throws Exception {
        double minutes = 30;
        int clients = 10;
        int sampleSeconds = 30;
        Path csv = Path.of("target", "soak.csv");
        for (int i = 0; i < args.size(); i += 2) {
            if (i + 1 >= args.size()) {
                throw new ConfigException("benchmark soak: " + args.get(i) + " needs a value");
            }
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "--minutes" -> minutes = TrainingBenchmark.parsePositive("--minutes", value);
                case "--clients" -> clients = TrainingBenchmark.parsePositive("--clients", value);
                case "--sample" -> sampleSeconds = TrainingBenchmark.parsePositive("--sample", value);
                case "--csv" -> csv = Path.of(value);
                default ->
                    throw new ConfigException("benchmark soak: unknown option " + args.get(i)
                            + "; options: --minutes, --clients, --sample, --csv");
            }
        }
        Path storage = Files.createTempDirectory("lossprism-soak-");
        List<String> all = new ArrayList<>(
                List.of("http.port=0", "storage.dir=" + storage, "training.epochs=100000", "training.imageSize=64"));
        all.addAll(overrides);
        LossPrismApp app = LossPrismApp.start(configFile, all)
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.MINUTES);
        AtomicLong messages = new AtomicLong();
        // a history message can exceed Vert.x's default 256 KiB message limit; browsers have none
        WebSocketClient client = app.vertx()
                .createWebSocketClient(
                        new io.vertx.core.http.WebSocketClientOptions().setMaxMessageSize(64 * 1024 * 1024));
        List<WebSocket> sockets = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            WebSocket socket = await(client.connect(app.httpPort(), "127.0.0.1", "/ws"));
            socket.textMessageHandler(text -> messages.incrementAndGet());
            sockets.add(socket);
        }
        System.out.printf("LossPrism soak: %.0f min, %d dashboard clients, storage %s%n", minutes, clients, storage);
        System.out.printf(
                "%8s %10s %9s %9s %14s %15s %10s%n",
                "minutes", "iteration", "RSS MB", "heap MB", "heap-after-GC", "heap committed", "messages");
        List<Measurement> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        while (true) {
            Measurement sample = sample(app, start, messages.get());
            samples.add(sample);
            System.out.printf(
                    "%8.1f %10d %9.1f %9.1f %14.1f %15.1f %10d%n",
                    sample.minutes(),
                    sample.iteration(),
                    sample.rssMb(),
                    sample.heapMb(),
                    sample.heapAfterGcMb(),
                    sample.heapCommittedMb(),
                    sample.messages());
            if (System.nanoTime() >= end) {
                break;
            }
            Thread.sleep(Math.min(sampleSeconds * 1000L, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        String runId = app.runs().currentRunId();
        TrainingStatus paused = await(app.runs().control(runId, "pause"));
        long stored = app.history().reportRows(runId, "train");
        long represented = app.history().reportedIterations(runId, "train");
        List<Measurement> late = samples.subList(samples.size() / 2, samples.size());
        System.out.printf(
                "RSS slope (second half): %s; heap-after-GC slope: %s%n",
                Trend.of(late, Measurement::rssMb), Trend.of(late, Measurement::heapAfterGcMb));
        System.out.printf(
                "iterations %d, stored train reports %d (standing for %d iterations): %s%n",
                paused.iteration(), stored, represented, represented == paused.iteration() ? "EQUAL" : "MISMATCH");
        writeCsv(csv, samples);
        for (WebSocket socket : sockets) {
            await(socket.close());
        }
        await(app.close());
        System.out.println("samples written to " + csv);
    }

    private static Measurement sample(LossPrismApp app, long start, long messages) {
        var memory = ManagementFactory.getMemoryMXBean();
        double heap = memory.getHeapMemoryUsage().getUsed() / 1e6;
        System.gc();
        double heapAfterGc = memory.getHeapMemoryUsage().getUsed() / 1e6;
        double committed = memory.getHeapMemoryUsage().getCommitted() / 1e6;
        return new Measurement(
                (System.nanoTime() - start) / 60e9,
                app.runs().status().iteration(),
                rssMb(),
                heap,
                heapAfterGc,
                committed,
                messages);
    }

    /** Resident set size from /proc (Linux): includes native memory ND4J and SQLite use outside the heap. */
    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: reported as NaN below
        }
        return Double.NaN;
    }

    /**
     * The least-squares slope of a series over time, in MB per hour, with its standard error: samples swing
     * by a hundred MB and more (checkpoints, validation, the heap G1 commits), so a slope means growth only
     * when it stands out of that swing (more than twice its standard error).
     */
    record Trend(double perHour, double standardError) {

        static Trend of(List<Measurement> samples, java.util.function.ToDoubleFunction<Measurement> value) {
            int n = samples.size();
            if (n < 3) {
                return new Trend(Double.NaN, Double.NaN);
            }
            double meanX =
                    samples.stream().mapToDouble(Measurement::minutes).average().orElse(0);
            double meanY = samples.stream().mapToDouble(value).average().orElse(0);
            double sxy = 0;
            double sxx = 0;
            for (Measurement s : samples) {
                double dx = s.minutes() - meanX;
                sxy += dx * (value.applyAsDouble(s) - meanY);
                sxx += dx * dx;
            }
            if (sxx == 0) {
                return new Trend(Double.NaN, Double.NaN);
            }
            double slope = sxy / sxx;
            double squaredResiduals = 0;
            for (Measurement s : samples) {
                double residual = value.applyAsDouble(s) - meanY - slope * (s.minutes() - meanX);
                squaredResiduals += residual * residual;
            }
            return new Trend(slope * 60, Math.sqrt(squaredResiduals / (n - 2) / sxx) * 60);
        }

        /** Up or down by more than twice the standard error, or neither. */
        String verdict() {
            if (perHour > 2 * standardError) {
                return "GROWING";
            }
            return perHour < -2 * standardError ? "falling" : "flat within noise";
        }

        @Override
        public String toString() {
            return String.format(
                    java.util.Locale.ROOT, "%.1f MB/h (standard error %.1f: %s)", perHour, standardError, verdict());
        }
    }

    private static void writeCsv(Path csv, List<Measurement> samples) throws IOException {
        List<String> lines = new ArrayList<>(
                List.of("minutes,iteration,rss_mb,heap_mb,heap_after_gc_mb,heap_committed_mb,messages"));
        for (Measurement s : samples) {
            lines.add(String.format(
                    java.util.Locale.ROOT,
                    "%.2f,%d,%.1f,%.1f,%.1f,%.1f,%d",
                    s.minutes(),
                    s.iteration(),
                    s.rssMb(),
                    s.heapMb(),
                    s.heapAfterGcMb(),
                    s.heapCommittedMb(),
                    s.messages()));
        }
        if (csv.getParent() != null) {
            Files.createDirectories(csv.getParent());
        }
        Files.write(csv, lines);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }
}
