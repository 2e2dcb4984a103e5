package io.lossprism;

import io.lossprism.bench.FeedBenchmark;
import io.lossprism.bench.SoakBenchmark;
import io.lossprism.bench.StoreBenchmark;
import io.lossprism.bench.TrainingBenchmark;
import io.lossprism.cli.DecomposeCommand;
import io.lossprism.cli.UsageException;
import io.lossprism.config.CommandLine;
import io.lossprism.config.ConfigException;
import io.lossprism.data.DatasetException;
import io.lossprism.experiment.RemediesExperiment;
import io.lossprism.launch.Relaunch;
import io.lossprism.model.ModelException;
import io.lossprism.store.CorruptStoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point. {@code train} (the default) starts the dashboard and trains;
 * {@code decompose} explains a saved batch's loss class by class; {@code benchmark} prints training
 * throughput with and without monitoring, {@code benchmark feed} the live feed's latency,
 * {@code benchmark soak} memory over a long run, {@code benchmark store} the run history's write rates;
 * {@code experiment remedies} trains once per loss remedy and prints what each does to the rare class.
 * A bad argument or configuration value prints one line and exits with status 2.
 */
public final class Main {

    private static final int USAGE_ERROR = 2;
    /** Longest wait at shutdown: one training step at 256 px plus a checkpoint. */
    private static final int SHUTDOWN_SECONDS = 120;

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (trains(args)) {
            // tcmalloc and OpenMP settings take effect only at process start: run in a child JVM that has them
            var status = Relaunch.ifNeeded(Main.class, args);
            if (status.isPresent()) {
                System.exit(status.get());
            }
        }
        try {
            if (args.length > 0 && args[0].equals("decompose")) {
                // decompose reads arrays, not the server configuration: it parses its own options
                DecomposeCommand.run(List.of(args).subList(1, args.length), System.out);
                return;
            }
            CommandLine line = CommandLine.parse(args);
            switch (line.command()) {
                case "help" -> System.out.println(CommandLine.usage());
                case "train" -> train(line.configFile(), line.overrides());
                case "benchmark" -> benchmark(line);
                case "experiment" ->
                    RemediesExperiment.run(line.configFile(), line.overrides(), line.rest(), System.out);
                default ->
                    throw new ConfigException("unknown command '" + line.command()
                            + "'; commands: train, decompose, benchmark, experiment, help");
            }
        } catch (ConfigException | UsageException e) {
            System.err.println("lossprism: " + e.getMessage());
            System.exit(USAGE_ERROR);
        }
    }

    /** Commands that run the native backend: all but {@code decompose} and {@code help}. */
    private static boolean trains(String[] args) {
        return args.length == 0 || !List.of("decompose", "help", "--help", "-h").contains(args[0]);
    }

    /** {@code benchmark feed|soak|store ...}: the feed, a long run, the store; plain {@code benchmark}: training. */
    private static void benchmark(CommandLine line) throws Exception {
        List<String> rest = line.rest();
        String kind = rest.isEmpty() ? "" : rest.get(0);
        List<String> options = rest.isEmpty() ? rest : rest.subList(1, rest.size());
        switch (kind) {
            case "feed" -> FeedBenchmark.run(line.configFile(), line.overrides(), options);
            case "soak" -> {
                SoakBenchmark.run(line.configFile(), line.overrides(), options);
                System.exit(0); // non-daemon threads of the native backend would keep the JVM up
            }
            case "store" -> StoreBenchmark.run(line.configFile(), line.overrides(), options);
            default -> TrainingBenchmark.run(line.configFile(), line.overrides(), rest);
        }
    }

    private static void train(Path configFile, List<String> overrides) {
        Logger log = LoggerFactory.getLogger(Main.class);
        LossPrismApp.start(configFile, overrides)
                .onSuccess(app -> Runtime.getRuntime().addShutdownHook(new Thread(() -> closeWaiting(app, log))))
                .onFailure(e -> {
                    Throwable input = badInput(e);
                    if (input != null) {
                        // bad input, like a bad configuration value: one line, exit status 2
                        System.err.println("lossprism: " + input.getMessage());
                        System.exit(USAGE_ERROR);
                    }
                    if (e instanceof CorruptStoreException) {
                        // the user must act (recover or move the store): one line saying what, exit status 2
                        System.err.println("lossprism: " + e.getMessage());
                        System.exit(USAGE_ERROR);
                    }
                    log.error("start-up failed: {}", e.getMessage());
                    System.exit(1);
                });
    }

    /** A dataset or network file that cannot be used, as the failure or a cause of it; null for anything else. */
    private static Throwable badInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatasetException || t instanceof ModelException) {
                return t;
            }
        }
        return null;
    }

    /** On SIGTERM or Ctrl-C: lets training checkpoint between two batches before the JVM exits. */
    private static void closeWaiting(LossPrismApp app, Logger log) {
        try {
            app.close().toCompletionStage().toCompletableFuture().get(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            log.info("stopped");
        } catch (Exception e) {
            log.error("shutdown did not complete within {} s: {}", SHUTDOWN_SECONDS, e.toString());
        }
    }
}
