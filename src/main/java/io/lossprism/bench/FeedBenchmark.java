package io.lossprism.bench;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.http.HttpVerticle;
import io.lossprism.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latency of the live feed: the real {@link HttpVerticle} on a free port, N real WebSocket clients in
 * a second Vert.x instance of the same JVM, and batch reports (each followed by a status, as training
 * does) published on the event bus from a plain thread at a fixed rate. Latency runs from just before
 * the publication to the arrival of the message at each client, live or inside a history message that
 * filled a gap. Prints median, p99 and max, delivery, CPU and heap, and PASS or FAIL against a p99 of
 * {@value #TARGET_P99_MILLIS} ms. The warm-up is timed too but reported apart: on a small machine the
 * JIT and the first touch of heap pages stall the whole process for a while, feed or no feed.
 *
 * <pre>java -jar target/lossprism.jar benchmark feed [--clients 50] [--rate 20] [--seconds 30] [--warmup 10]</pre>
 *
 * <p>With {@code --storm N}, measures instead what N dashboards connecting at once cost: {@link FeedStormBenchmark}.
 */
public final class FeedBenchmark {

    private static final double TARGET_P99_MILLIS = 50;
    private static final int SETTLE_SECONDS = 10;
    private static final long TIMEOUT_SECONDS = 60;

    private final AppConfig config;
    private final int clients;
    private final int rate;
    private final int seconds;
    private final int warmupSeconds;

    private FeedBenchmark(AppConfig config, int clients, int rate, int seconds, int warmupSeconds) {
        this.config = config;
        this.clients = clients;
        this.rate = rate;
        this.seconds = seconds;
        this.warmupSeconds = warmupSeconds;
    }

    public static void run(Path configFile, List<String> overrides, List<String> args) {
        if (args.contains("--storm")) {
            FeedStormBenchmark.run(configFile, overrides, args);
            return;
        }
        int clients = 50;
        int rate = 20;
        int seconds = 30;
        int warmup = 10;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (i + 1 >= args.size()) {
                throw new ConfigException("benchmark feed: " + arg + " needs a value");
            }
            switch (arg) {
                case "--clients" -> clients = TrainingBenchmark.parsePositive(arg, args.get(++i));
                case "--rate" -> rate = TrainingBenchmark.parsePositive(arg, args.get(++i));
                case "--seconds" -> seconds = TrainingBenchmark.parsePositive(arg, args.get(++i));
                case "--warmup" -> warmup = TrainingBenchmark.parsePositive(arg, args.get(++i));
                default ->
                    throw new ConfigException("benchmark feed: unknown option " + arg
                            + "; options: --clients, --rate, --seconds, --warmup");
            }
        }
        // a free port, and all clients connect from one address at once: lift the per-address rate limit
        List<String> all = new ArrayList<>(List.of("http.port=0", "http.requestsPerSecond=10000"));
        all.addAll(overrides);
        try {
            new FeedBenchmark(ConfigLoader.load(configFile, all), clients, rate, seconds, warmup).measure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("feed benchmark failed: " + e, e);
        }
    }

    private void measure() throws Exception {
        int warmupIterations = rate * warmupSeconds;
        int total = warmupIterations + rate * seconds;
        AtomicLongArray publishedAt = new AtomicLongArray(total + 1);

        Path storage = Files.createTempDirectory("lossprism-feed-benchmark-");
        RunStore store = RunStore.open(storage);
        Vertx server = Vertx.vertx();
        Vertx clientSide = Vertx.vertx();
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        List<WebSocket> sockets = new ArrayList<>();
        try {
            HttpVerticle http = await(FeedServer.start(server, config, store, storage));
            // hold the client strongly: Vert.x 5 closes clients that become unreachable
            WebSocketClient wsClient =
                    clientSide.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(64 * 1024 * 1024));
            List<FeedClient> tallies = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                FeedClient tally = new FeedClient(publishedAt);
                ClientWebSocket socket = wsClient.webSocket();
                socket.textMessageHandler(tally::onText);
                sockets.add(
                        await(socket.connect(http.port(), config.http().host(), "/ws?run=" + SyntheticReports.RUN_ID)));
                tallies.add(tally);
            }
            System.out.printf(
                    "LossPrism feed benchmark: %d clients, %d reports/s for %d s after %d s warm-up, "
                            + "%d classes, %d cores%n",
                    clients,
                    rate,
                    seconds,
                    warmupSeconds,
                    config.training().classCount(),
                    Runtime.getRuntime().availableProcessors());
            double heapBefore = usedHeapMegabytes();

            CountDownLatch done = new CountDownLatch(1);
            SyntheticReports reports = new SyntheticReports(config.training().classes());
            AtomicLong iteration = new AtomicLong();
            publisher.scheduleAtFixedRate(
                    () -> {
                        long i = iteration.incrementAndGet();
                        if (i > total) {
                            done.countDown();
                            return;
                        }
                        var report = reports.train(i);
                        publishedAt.set((int) i, System.nanoTime());
                        server.eventBus().publish(Addresses.BATCH_REPORT, report);
                        server.eventBus()
                                .publish(
                                        Addresses.TRAINING_STATUS,
                                        new TrainingStatus(
                                                "benchmark",
                                                TrainingStatus.State.TRAINING,
                                                report.epoch(),
                                                config.training().epochs(),
                                                i,
                                                SyntheticReports.ITERATIONS_PER_EPOCH,
                                                report.imagesPerSecond(),
                                                "",
                                                0));
                    },
                    0,
                    1_000_000_000L / rate,
                    TimeUnit.NANOSECONDS);

            Thread.sleep(warmupSeconds * 1000L);
            long cpuStart = processCpuNanos();
            long wallStart = System.nanoTime();
            if (!done.await(seconds + TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("publishing did not finish");
            }
            publisher.shutdown();
            long settleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
            while (System.nanoTime() < settleBy && tallies.stream().anyMatch(t -> !t.has(total))) {
                Thread.sleep(10);
            }
            long cpu = processCpuNanos() - cpuStart;
            long wall = System.nanoTime() - wallStart;
            double heapAfter = usedHeapMegabytes();
            report(tallies, warmupIterations, total, cpu, wall, heapBefore, heapAfter);
        } finally {
            publisher.shutdownNow();
            for (WebSocket socket : sockets) {
                socket.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            await(clientSide.close());
            await(server.close());
            store.close();
        }
    }

    private void report(
            List<FeedClient> tallies,
            int warmup,
            int total,
            long cpuNanos,
            long wallNanos,
            double heapBefore,
            double heapAfter) {
        long[] warming = latencies(tallies, 1, warmup);
        long[] measured = latencies(tallies, warmup + 1, total);
        long expected = (long) (total - warmup) * tallies.size();
        int viaHistory =
                tallies.stream().mapToInt(t -> t.viaHistory(warmup + 1, total)).sum();
        int gaps = tallies.stream().mapToInt(t -> t.histories() - 2).sum(); // less the opening pair
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "latency publish -> client: median %.2f ms, p99 %.2f ms, max %.2f ms%n",
                millis(measured, 0.50), millis(measured, 0.99), millis(measured, 1.0));
        System.out.printf(
                "  (during the warm-up, JIT and first-touch memory: p99 %.2f ms, max %.2f ms)%n",
                millis(warming, 0.99), millis(warming, 1.0));
        System.out.printf(
                "batches received: %d of %d (%.2f%%), %d of them in history gap messages "
                        + "(%d gap messages in the whole run)%n",
                measured.length, expected, 100.0 * measured.length / expected, viaHistory, gaps);
        System.out.printf(
                "process CPU: %.1f%% of %d cores over %.1f s (server and clients share this JVM)%n",
                100.0 * cpuNanos / wallNanos / cores, cores, wallNanos / 1e9);
        System.out.printf("heap used after System.gc(): %.1f MB before, %.1f MB after%n", heapBefore, heapAfter);
        double p99 = millis(measured, 0.99);
        boolean pass = measured.length == expected && p99 < TARGET_P99_MILLIS;
        System.out.printf(
                "%s: p99 %.2f ms %s %.0f ms%s%n",
                pass ? "PASS" : "FAIL",
                p99,
                p99 < TARGET_P99_MILLIS ? "<" : ">=",
                TARGET_P99_MILLIS,
                measured.length == expected ? "" : ", and batches were lost");
    }

    private static long[] latencies(List<FeedClient> tallies, int from, int to) {
        return tallies.stream()
                .flatMapToLong(t -> t.latencies(from, to))
                .sorted()
                .toArray();
    }

    /** The nearest-rank percentile of sorted nanoseconds, in milliseconds; 0 for none. */
    private static double millis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double usedHeapMegabytes() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
