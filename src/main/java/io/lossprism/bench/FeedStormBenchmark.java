package io.lossprism.bench;

import io.lossprism.bus.Addresses;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.http.HttpVerticle;
import io.lossprism.store.RunStore;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a crowd of dashboards opening at once costs a server with a long run behind it (issue 16, item 2):
 * the real {@link HttpVerticle} holds {@code --history} reports of a 5-class run, a training-like load
 * ({@link FeedTrainingLoad}) runs and publishes a report per iteration, and {@code --storm} WebSocket
 * clients connect at once, offering permessage-deflate as browsers do. Prints the load's iterations per
 * second before and while the clients load (until every one has its opening), each client's time from
 * connect to its first live data, the opening bytes per client, the latency of {@code GET /api/status}
 * meanwhile, and CPU, the server's apart from the clients' (in a browser elsewhere in real use); then PASS or
 * FAIL against the targets: training slowed by at most {@value #MAX_TRAINING_COST_PERCENT}%, every client
 * live within {@value #LIVE_WITHIN_SECONDS} s, {@code /api/status} always under {@value #MAX_STATUS_MILLIS} ms.
 * Clients run in this JVM and on this machine's cores, so their own cost counts against training too.
 *
 * <pre>java -jar target/lossprism.jar benchmark feed --storm 200 [--history 2500] [--baseline 10]
 *     [--timeout 60] [--threads cores] [--compression on|off] [--period 50]</pre>
 *
 * {@code --period} is the training-like load's iteration period in milliseconds: 50 by default (a fast
 * run, so a live fan-out of 20 batches a second to every client); real default training (64 px, batch
 * 16) takes about 300 on 2 cores.
 */
final class FeedStormBenchmark {

    static final int MAX_TRAINING_COST_PERCENT = 20;
    static final int LIVE_WITHIN_SECONDS = 5;
    static final int MAX_STATUS_MILLIS = 100;
    private static final int WARMUP_CLIENTS = 5;
    private static final long WAIT_SECONDS = 60;

    private final AppConfig config;
    private final int clients;
    private final int history;
    private final int baselineSeconds;
    private final int timeoutSeconds;
    private final int threads;
    private final boolean compression;
    private final long periodMillis;

    private FeedStormBenchmark(
            AppConfig config,
            int clients,
            int history,
            int baselineSeconds,
            int timeoutSeconds,
            int threads,
            boolean compression,
            long periodMillis) {
        this.config = config;
        this.periodMillis = periodMillis;
        this.clients = clients;
        this.history = history;
        this.baselineSeconds = baselineSeconds;
        this.timeoutSeconds = timeoutSeconds;
        this.threads = threads;
        this.compression = compression;
    }

    /** @param args the options after {@code benchmark feed}, {@code --storm N} among them */
    static void run(Path configFile, List<String> overrides, List<String> args) {
        int clients = 0;
        int history = 2500;
        int baseline = 10;
        int timeout = 60;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean compression = true;
        long period = FeedTrainingLoad.DEFAULT_PERIOD_MILLIS;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (i + 1 >= args.size()) {
                throw new ConfigException("benchmark feed: " + arg + " needs a value");
            }
            String value = args.get(++i);
            switch (arg) {
                case "--storm" -> clients = TrainingBenchmark.parsePositive(arg, value);
                case "--history" -> history = TrainingBenchmark.parsePositive(arg, value);
                case "--baseline" -> baseline = TrainingBenchmark.parsePositive(arg, value);
                case "--timeout" -> timeout = TrainingBenchmark.parsePositive(arg, value);
                case "--threads" -> threads = TrainingBenchmark.parsePositive(arg, value);
                case "--compression" -> compression = onOff(arg, value);
                case "--period" -> period = TrainingBenchmark.parsePositive(arg, value);
                default ->
                    throw new ConfigException(
                            "benchmark feed --storm: unknown option " + arg
                                    + "; options: --storm, --history, --baseline, --timeout, --threads, --compression, --period");
            }
        }
        // a free port, and every client connects from one address at once: lift the per-address rate limit
        List<String> all = new ArrayList<>(List.of("http.port=0", "http.requestsPerSecond=10000"));
        all.addAll(overrides);
        try {
            new FeedStormBenchmark(
                            ConfigLoader.load(configFile, all),
                            clients,
                            history,
                            baseline,
                            timeout,
                            threads,
                            compression,
                            period)
                    .measure();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("feed storm benchmark failed: " + e, e);
        }
    }

    private static boolean onOff(String option, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default ->
                throw new ConfigException("benchmark feed: " + option + " must be on or off, got '" + value + "'");
        };
    }

    private void measure() throws Exception {
        Path storage = Files.createTempDirectory("lossprism-feed-storm-");
        RunStore store = RunStore.open(storage);
        Vertx server = Vertx.vertx();
        Vertx clientSide = Vertx.vertx();
        List<ClientWebSocket> sockets = new ArrayList<>();
        FeedTrainingLoad load = null;
        FeedStatusProbe probe = null;
        try {
            HttpVerticle http = await(FeedServer.start(server, config, store, storage));
            String host = config.http().host();
            int port = http.port();
            // held strongly: Vert.x 5 closes clients that become unreachable
            WebSocketClient wsClient = clientSide.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxConnections(clients + WARMUP_CLIENTS)
                    .setMaxFrameSize(16 * 1024 * 1024)
                    .setTryUsePerMessageCompression(compression));

            SyntheticReports reports = new SyntheticReports(config.training().classes());
            for (long i = 1; i <= history; i++) {
                server.eventBus().publish(Addresses.BATCH_REPORT, reports.train(i));
            }
            // one client follows the run throughout: a run nobody follows, and not live yet, is dropped
            // from the feed, history and all, when its last client leaves (the warm-up's would)
            ClientWebSocket holder = wsClient.webSocket();
            FeedStormClient held = new FeedStormClient(System.nanoTime());
            holder.frameHandler(held::onFrame);
            await(holder.connect(port, host, "/ws?run=" + SyntheticReports.RUN_ID));
            sockets.add(holder);
            long warmOpening = warmUp(wsClient, host, port);
            System.out.printf("opening of a client connecting alone before the storm: %.2f MB%n", warmOpening / 1e6);

            String loadBefore = loadAverage();
            long chunk = FeedTrainingLoad.calibrate(periodMillis);
            load = new FeedTrainingLoad(server, reports, config.training().epochs(), threads, history + 1L, chunk);
            probe = new FeedStatusProbe(host, port, eventLoops(server));
            load.start();
            probe.start();
            long baselineFrom = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(baselineSeconds));
            long baselineTo = System.nanoTime();

            List<Long> serverThreads = eventLoopThreads(server);
            List<Long> clientThreads = eventLoopThreads(clientSide);
            long serverCpuBefore = threadCpu(serverThreads);
            Map<Long, Long> workerCpuBefore = workerCpu();
            long clientCpuBefore = threadCpu(clientThreads);
            long loadCpuBefore = threadCpu(load.threadIds());
            long processCpuBefore = processCpuNanos();
            List<FeedStormClient> tallies = new ArrayList<>();
            AtomicInteger failed = new AtomicInteger();
            long stormFrom = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                FeedStormClient tally = new FeedStormClient(System.nanoTime());
                ClientWebSocket socket = wsClient.webSocket();
                socket.frameHandler(tally::onFrame);
                socket.connect(port, host, "/ws?run=" + SyntheticReports.RUN_ID)
                        .onFailure(e -> failed.incrementAndGet());
                sockets.add(socket);
                tallies.add(tally);
            }
            long deadline = stormFrom + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            long allLive = 0;
            while (System.nanoTime() < deadline) {
                long live = tallies.stream().filter(FeedStormClient::live).count() + failed.get();
                long opened = tallies.stream().filter(t -> t.toOpened() >= 0).count() + failed.get();
                if (allLive == 0 && live >= clients) {
                    allLive = System.nanoTime();
                }
                if (live >= clients && opened >= clients) {
                    break;
                }
                Thread.sleep(10);
            }
            long stormTo = System.nanoTime();
            Cpu cpu = new Cpu(
                    threadCpu(serverThreads) - serverCpuBefore,
                    workerCpuSince(workerCpuBefore),
                    threadCpu(clientThreads) - clientCpuBefore,
                    threadCpu(load.threadIds()) - loadCpuBefore,
                    processCpuNanos() - processCpuBefore);

            report(new Figures(
                    load,
                    probe,
                    tallies,
                    failed.get(),
                    baselineFrom,
                    baselineTo,
                    stormFrom,
                    stormTo,
                    allLive == 0 ? stormTo : allLive,
                    cpu,
                    loadBefore,
                    loadAverage()));
        } finally {
            if (load != null) {
                load.stop();
            }
            if (probe != null) {
                probe.stop();
            }
            for (ClientWebSocket socket : sockets) {
                try {
                    socket.close();
                } catch (RuntimeException e) {
                    // never connected, or closed already
                }
            }
            closeQuietly("the clients", clientSide);
            closeQuietly("the server", server);
            store.close();
        }
    }

    /** Closing after the figures are printed: a server still writing megabytes to 200 clients may take long. */
    private static void closeQuietly(String what, Vertx vertx) throws InterruptedException {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.out.printf("(closing %s: %s)%n", what, e);
        }
    }

    /**
     * A few clients one by one: the server has taken in the history, and the JIT has seen the path.
     *
     * @return the last one's opening bytes
     */
    private static long warmUp(WebSocketClient wsClient, String host, int port) throws Exception {
        long opening = 0;
        for (int i = 0; i < WARMUP_CLIENTS; i++) {
            FeedStormClient tally = new FeedStormClient(System.nanoTime());
            ClientWebSocket socket = wsClient.webSocket();
            socket.frameHandler(tally::onFrame);
            await(socket.connect(port, host, "/ws?run=" + SyntheticReports.RUN_ID));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (tally.toOpened() < 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            opening = tally.openingBytes();
            await(socket.close());
        }
        return opening;
    }

    private record Figures(
            FeedTrainingLoad load,
            FeedStatusProbe probe,
            List<FeedStormClient> tallies,
            int failed,
            long baselineFrom,
            long baselineTo,
            long stormFrom,
            long stormTo,
            long allLive,
            Cpu cpu,
            String loadBefore,
            String loadAfter) {}

    /**
     * CPU nanoseconds while the clients load, by who spent them: the server's event loops, its worker
     * threads (opening snapshots), the benchmark's clients, the training-like load, the whole process.
     */
    private record Cpu(long server, long serverWorkers, long clients, long load, long process) {}

    private void report(Figures f) {
        int cores = Runtime.getRuntime().availableProcessors();
        double window = (f.stormTo() - f.stormFrom()) / 1e9;
        System.out.printf(
                "LossPrism feed storm: %d clients connect at once to a server holding %d train reports "
                        + "of %d classes; training-like load on %d threads, an iteration every %d ms when idle "
                        + "(--period); clients %s permessage-deflate; %d cores; http.feedOpeningsPerSecond %d, "
                        + "http.eventLoops %d%n",
                clients,
                history,
                config.training().classCount(),
                threads,
                periodMillis,
                compression ? "offer" : "do not offer",
                cores,
                config.http().feedOpeningsPerSecond(),
                config.http().eventLoops());
        System.out.printf("load average (1, 5, 15 min): %s before, %s after%n", f.loadBefore(), f.loadAfter());

        double before = f.load().rate(f.baselineFrom(), f.baselineTo());
        double during = f.load().rate(f.stormFrom(), f.stormTo());
        double cost = before <= 0 ? 0 : 100 * (1 - during / before);
        double duringLive = f.load().rate(f.stormFrom(), f.allLive());
        System.out.printf(
                "training-like load: %.1f it/s before, %.1f it/s while the clients load, until every one "
                        + "has its opening (%d iterations in %.2f s): %.0f%% slower; until every one was live "
                        + "(%.2f s): %.1f it/s%n",
                before,
                during,
                f.load().count(f.stormFrom(), f.stormTo()),
                window,
                cost,
                (f.allLive() - f.stormFrom()) / 1e9,
                duringLive);

        long[] toLive = f.tallies().stream()
                .mapToLong(FeedStormClient::toLive)
                .filter(t -> t >= 0)
                .sorted()
                .toArray();
        long[] toOpened = f.tallies().stream()
                .mapToLong(FeedStormClient::toOpened)
                .filter(t -> t >= 0)
                .sorted()
                .toArray();
        long withinTarget = Arrays.stream(toLive)
                .filter(t -> t <= TimeUnit.SECONDS.toNanos(LIVE_WITHIN_SECONDS))
                .count();
        System.out.printf(
                "clients with live data within %d s: %d of %d (%d with any live data by %.1f s, "
                        + "%d connects failed)%n",
                LIVE_WITHIN_SECONDS, withinTarget, clients, toLive.length, window, f.failed());
        System.out.printf(
                "  connect to end of opening: median %.2f s, p90 %.2f s, max %.2f s (%d clients)%n",
                seconds(toOpened, 0.5), seconds(toOpened, 0.9), seconds(toOpened, 1), toOpened.length);
        System.out.printf(
                "  connect to first live data: median %.2f s, p90 %.2f s, max %.2f s%n",
                seconds(toLive, 0.5), seconds(toLive, 0.9), seconds(toLive, 1));
        double openingMb = f.tallies().stream()
                        .filter(t -> t.toOpened() >= 0)
                        .mapToLong(FeedStormClient::openingBytes)
                        .average()
                        .orElse(0)
                / 1e6;
        double allMb = f.tallies().stream().mapToLong(FeedStormClient::bytes).sum() / 1e6;
        System.out.printf(
                "opening per client (hello, histories, alerts; as read, after any inflation): %.2f MB; "
                        + "all clients read %.0f MB in the storm%n",
                openingMb, allMb);

        long[] quiet = f.probe().latencies(f.baselineFrom(), f.baselineTo());
        long[] storm = f.probe().latencies(f.stormFrom(), f.stormTo());
        System.out.printf(
                "GET /api/status while the clients load: median %.1f ms, p99 %.1f ms, max %.1f ms "
                        + "(%d requests); before: median %.1f ms, max %.1f ms%n",
                millis(storm, 0.5),
                millis(storm, 0.99),
                millis(storm, 1),
                storm.length,
                millis(quiet, 0.5),
                millis(quiet, 1));
        long[] lags = f.probe().eventLoopLags(f.stormFrom(), f.stormTo());
        long[] quietLags = f.probe().eventLoopLags(f.baselineFrom(), f.baselineTo());
        System.out.printf(
                "  server event loops' longest wait for a task meanwhile: median %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms; before: median %.1f ms, max %.1f ms%n",
                millis(lags, 0.5), millis(lags, 0.99), millis(lags, 1), millis(quietLags, 0.5), millis(quietLags, 1));
        Cpu cpu = f.cpu();
        double serverCpu = (cpu.server() + cpu.serverWorkers()) / 1e9;
        System.out.printf(
                "CPU while the clients load (%.2f s): server %.2f s (event loops %.2f s, workers %.2f s): "
                        + "%.0f%% of one core, %.0f%% of the machine's %d cores; the benchmark's clients (browsers "
                        + "elsewhere in real use) %.2f s; training-like load %.2f s; whole process %.2f s "
                        + "(%.0f%% of %d cores; the rest of the machine ran other work)%n",
                window,
                serverCpu,
                cpu.server() / 1e9,
                cpu.serverWorkers() / 1e9,
                100 * serverCpu / window,
                100 * serverCpu / window / cores,
                cores,
                cpu.clients() / 1e9,
                cpu.load() / 1e9,
                cpu.process() / 1e9,
                100 * cpu.process() / 1e9 / window / cores,
                cores);

        boolean trainingOk = cost <= MAX_TRAINING_COST_PERCENT;
        boolean liveOk = withinTarget == clients;
        double statusMax = millis(storm, 1);
        boolean statusOk = storm.length > 0 && statusMax < MAX_STATUS_MILLIS;
        System.out.printf(
                "%s: training %.0f%% slower (target <= %d%%), %d of %d clients live within %d s, "
                        + "/api/status max %.1f ms (target < %d ms)%n",
                trainingOk && liveOk && statusOk ? "PASS" : "FAIL",
                cost,
                MAX_TRAINING_COST_PERCENT,
                withinTarget,
                clients,
                LIVE_WITHIN_SECONDS,
                statusMax,
                MAX_STATUS_MILLIS);
    }

    /** Nearest-rank percentile of sorted nanoseconds, in seconds; NaN for none. */
    private static double seconds(long[] sorted, double p) {
        return millis(sorted, p) / 1000;
    }

    private static double millis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    /** A Vert.x instance's event loops and acceptor (Vert.x's internal API: a benchmark may look inside). */
    private static List<EventExecutor> eventLoops(Vertx vertx) {
        VertxInternal internal = (VertxInternal) vertx;
        List<EventExecutor> loops = new ArrayList<>();
        for (var group : List.of(internal.nettyEventLoopGroup(), internal.acceptorEventLoopGroup())) {
            group.forEach(loops::add);
        }
        return loops;
    }

    /** The threads of a Vert.x instance's event loops and acceptor, found by running a task on each. */
    private static List<Long> eventLoopThreads(Vertx vertx) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (EventExecutor executor : eventLoops(vertx)) {
            ids.add(executor.submit(() -> Thread.currentThread().getId()).get(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        return ids;
    }

    /**
     * CPU nanoseconds of each Vert.x worker thread now, by thread id: the server's (the benchmark's
     * clients run no blocking work), which build the opening snapshots.
     */
    private static Map<Long, Long> workerCpu() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("vert.x-worker-thread")
                    || thread.getName().startsWith("vert.x-internal-blocking")) {
                long nanos = bean.getThreadCpuTime(thread.getId());
                if (nanos > 0) {
                    cpu.put(thread.getId(), nanos);
                }
            }
        }
        return cpu;
    }

    /** CPU nanoseconds the worker threads spent since {@code before}; threads started since count whole. */
    private static long workerCpuSince(Map<Long, Long> before) {
        long sum = 0;
        for (Map.Entry<Long, Long> now : workerCpu().entrySet()) {
            sum += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return sum;
    }

    private static long threadCpu(List<Long> threads) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return threads.stream()
                .mapToLong(bean::getThreadCpuTime)
                .filter(t -> t > 0)
                .sum();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The 1, 5 and 15 minute load averages; other builds share this machine. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII)
                    .trim()
                    .split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return String.format(
                    "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
