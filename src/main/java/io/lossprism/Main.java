package io.lossprism;

import io.lossprism.bench.FeedBenchmark;
import io.lossprism.bench.TrainingBenchmark;
import io.lossprism.cli.DecomposeCommand;
import io.lossprism.cli.UsageException;
import io.lossprism.config.AppConfig;
import io.lossprism.config.CommandLine;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point. {@code train} (the default) starts the dashboard and trains;
 * {@code decompose} explains a saved batch's loss class by class; {@code benchmark} prints training
 * throughput with and without monitoring, {@code benchmark feed} the live feed's latency.
 * A bad argument or configuration value prints one line and exits with status 2.
 */
public final class Main {

    private static final int USAGE_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        try {
            if (args.length > 0 && args[0].equals("decompose")) {
                // decompose reads arrays, not the server configuration: it parses its own options
                DecomposeCommand.run(List.of(args).subList(1, args.length), System.out);
                return;
            }
            CommandLine line = CommandLine.parse(args);
            switch (line.command()) {
                case "help" -> System.out.println(CommandLine.usage());
                case "train" -> train(ConfigLoader.load(line.configFile(), line.overrides()));
                case "benchmark" -> benchmark(line);
                default -> throw new ConfigException("unknown command '" + line.command()
                        + "'; commands: train, decompose, benchmark, help");
            }
        } catch (ConfigException | UsageException e) {
            System.err.println("lossprism: " + e.getMessage());
            System.exit(USAGE_ERROR);
        }
    }

    /** {@code benchmark feed ...} measures the live feed; any other {@code benchmark} measures training. */
    private static void benchmark(CommandLine line) {
        List<String> rest = line.rest();
        if (!rest.isEmpty() && rest.get(0).equals("feed")) {
            FeedBenchmark.run(line.configFile(), line.overrides(), rest.subList(1, rest.size()));
        } else {
            TrainingBenchmark.run(line.configFile(), line.overrides(), line.rest());
        }
    }

    private static void train(AppConfig config) {
        Logger log = LoggerFactory.getLogger(Main.class);
        LossPrismApp.start(config)
                .onSuccess(app -> Runtime.getRuntime().addShutdownHook(new Thread(app::close)))
                .onFailure(e -> {
                    log.error("start-up failed: {}", e.getMessage());
                    System.exit(1);
                });
    }
}
