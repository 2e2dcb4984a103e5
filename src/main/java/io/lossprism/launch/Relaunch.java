package io.lossprism.launch;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this program once more in a child JVM whose environment has what {@link ProcessSettings}
 * adds, and becomes its shadow: the child shares stdin, stdout and stderr, a SIGTERM or SIGINT to
 * this process is passed on to it, and this process exits with the child's status. The child knows
 * it is the child ({@link ProcessSettings#MARKER}), so it never starts another, and it stops when
 * this process dies without passing the signal on (SIGKILL).
 */
public final class Relaunch {

    /** The allocator and OpenMP settings this process runs with, for benchmark headers. */
    public static String describeProcess() {
        String allocator;
        try {
            allocator =
                    java.nio.file.Files.readString(Path.of("/proc/self/maps")).contains("tcmalloc")
                            ? "tcmalloc"
                            : "default malloc";
        } catch (java.io.IOException | RuntimeException e) {
            allocator = "unknown allocator";
        }
        Map<String, String> env = System.getenv();
        // libgomp's spin count, when set, wins over the wait policy (PASSIVE alone means no spinning)
        String spin = env.containsKey(ProcessSettings.SPIN_COUNT)
                ? ", GOMP_SPINCOUNT=" + env.get(ProcessSettings.SPIN_COUNT)
                : "";
        return allocator + ", OMP_WAIT_POLICY=" + env.getOrDefault(ProcessSettings.WAIT_POLICY, "(unset)") + spin
                + ", OMP_NUM_THREADS=" + env.getOrDefault(ProcessSettings.THREADS, "(unset)");
    }

    /** Longer than the child's own longest shutdown (a step at 256 px plus a checkpoint). */
    private static final long CHILD_STOP_SECONDS = 150;

    private static final Logger LOG = LoggerFactory.getLogger(Relaunch.class);
    private static final String PARENT_PID = "LOSSPRISM_LAUNCHER_PID";

    private Relaunch() {}

    /**
     * Runs {@code mainClass} with {@code args} in a child JVM when the environment lacks something
     * and returns its exit status; empty when this process should go on itself.
     */
    public static Optional<Integer> ifNeeded(Class<?> mainClass, String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        if (env.containsKey(ProcessSettings.MARKER)) {
            watchParent(env.get(PARENT_PID));
            return Optional.empty();
        }
        Map<String, String> add = ProcessSettings.missing(env, ProcessSettings.installedTcmalloc());
        if (add.isEmpty()) {
            return Optional.empty();
        }
        LOG.info(
                "starting the JVM again with {} (read by the native backend at process start only; {}=off skips this)",
                add,
                ProcessSettings.OPT_OUT);
        return run(command(mainClass, args), add);
    }

    private static List<String> command(Class<?> mainClass, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    private static Optional<Integer> run(List<String> command, Map<String, String> add) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = builder.environment();
        env.putAll(add);
        env.put(ProcessSettings.MARKER, "1");
        env.put(PARENT_PID, Long.toString(ProcessHandle.current().pid()));
        // already among this JVM's input arguments, which the command repeats
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("JAVA_TOOL_OPTIONS");
        Process child;
        try {
            child = builder.start();
        } catch (java.io.IOException e) {
            LOG.warn("could not start the JVM again ({}); going on without {}", e.getMessage(), add.keySet());
            return Optional.empty();
        }
        Thread passOn = new Thread(() -> stopAndWait(child), "lossprism-relaunch-signal");
        Runtime.getRuntime().addShutdownHook(passOn);
        int status = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(passOn);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs and exits with the child's status
        }
        return Optional.of(status);
    }

    /** In the shutdown hook (SIGTERM, SIGINT): the child gets SIGTERM, and its status becomes ours. */
    private static void stopAndWait(Process child) {
        child.destroy();
        try {
            if (child.waitFor(CHILD_STOP_SECONDS, TimeUnit.SECONDS)) {
                Runtime.getRuntime().halt(child.exitValue());
            }
            child.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** In the child: when the launcher is gone (killed with SIGKILL), stop as on SIGTERM. */
    private static void watchParent(String pid) {
        if (pid == null) {
            return;
        }
        try {
            ProcessHandle.of(Long.parseLong(pid))
                    .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(143)));
        } catch (NumberFormatException e) {
            // not set by Relaunch: nothing to watch
        }
    }
}
