package io.lossprism.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The parsed command line: {@code [COMMAND] [--config FILE] [--set key=value]...}.
 *
 * @param command the first word when it is not an option, else "train"; "help" for -h/--help
 * @param configFile the --config file, or null
 * @param overrides the --set values, each {@code key=value}, in order
 * @param rest the arguments not recognised here, in order, for the command to parse
 */
public record CommandLine(String command, Path configFile, List<String> overrides, List<String> rest) {

    private static final String TRAIN = "train";
    private static final String HELP = "help";

    private static final String CONFIG = "--config";
    private static final String SET = "--set";

    public CommandLine {
        overrides = List.copyOf(overrides);
        rest = List.copyOf(rest);
    }

    /**
     * Parses: [COMMAND] [--config FILE] [--set key=value]... ; COMMAND is an optional first word not
     * starting with "-" (default "train"); {@code --set} may repeat; {@code --set=key=value} and
     * {@code --config=FILE} forms too; {@code -h}/{@code --help} gives command "help". Other
     * arguments are left in {@link #rest} for the command to parse, but "train" takes none.
     *
     * @throws ConfigException (one line) on a missing value, a --set without '=', a repeated
     *     --config, or an argument "train" does not take
     */
    public static CommandLine parse(String... args) {
        Deque<String> queue = new ArrayDeque<>(List.of(args));
        String command = !queue.isEmpty() && !queue.peekFirst().startsWith("-") ? queue.removeFirst() : TRAIN;
        Path configFile = null;
        List<String> overrides = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        boolean help = false;
        while (!queue.isEmpty()) {
            String arg = queue.removeFirst();
            if (arg.equals("-h") || arg.equals("--help")) {
                help = true;
            } else if (isOption(arg, CONFIG)) {
                if (configFile != null) {
                    throw new ConfigException(CONFIG + " given more than once");
                }
                configFile = path(value(arg, CONFIG, "FILE", queue));
            } else if (isOption(arg, SET)) {
                overrides.add(
                        Assignment.parse(value(arg, SET, "key=value", queue)).text());
            } else {
                rest.add(arg);
            }
        }
        if (help || command.equals(HELP)) {
            return new CommandLine(HELP, configFile, overrides, rest);
        }
        if (command.equals(TRAIN) && !rest.isEmpty()) {
            String first = rest.get(0);
            String what = first.startsWith("-") ? "unknown option" : "unexpected argument";
            throw new ConfigException(what + " '" + first + "' for command 'train'; it takes --config FILE, "
                    + "--set key=value and --help");
        }
        return new CommandLine(command, configFile, overrides, rest);
    }

    /** Short usage text, several lines. */
    public static String usage() {
        return """
        Usage: java -jar target/lossprism.jar [COMMAND] [--config FILE] [--set key=value]...
          COMMAND          train (the default): train with the dashboard up
                           decompose: explain a saved batch's loss per class (decompose --help)
                           benchmark: training images/s with and without monitoring
                           benchmark feed: live feed latency to many WebSocket clients
                           benchmark soak: a long run with dashboard clients, memory over time
                           benchmark store: run history appends/s, bytes per report, retention
                           experiment remedies [--iterations N]: train once per loss remedy,
                           print what each does to the rare class
          --config FILE    YAML file with any subset of the keys in config/default.yaml
          --set key=value  override one key, e.g. --set training.imageSize=128
                           or --set training.classes=[disc,ring]; may repeat, wins over --config
          -h, --help       show this help
        """;
    }

    private static boolean isOption(String arg, String name) {
        return arg.equals(name) || arg.startsWith(name + "=");
    }

    /** The value of an option, from "--name=value" or from the next argument. */
    private static String value(String arg, String name, String placeholder, Deque<String> queue) {
        String value;
        if (arg.length() > name.length()) {
            value = arg.substring(name.length() + 1);
        } else {
            value = queue.isEmpty() || queue.peekFirst().startsWith("--") ? "" : queue.removeFirst();
        }
        if (value.isEmpty()) {
            throw new ConfigException(name + " needs a value: " + name + " " + placeholder);
        }
        return value;
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new ConfigException(CONFIG + " '" + text + "': not a valid path (" + e.getReason() + ")", e);
        }
    }
}
