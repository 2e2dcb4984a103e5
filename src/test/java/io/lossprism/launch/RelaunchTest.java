package io.lossprism.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A real JVM that relaunches itself: once, with its arguments, exit status and stop signals passed through. */
class RelaunchTest {

    private static final Pattern PID = Pattern.compile("probe pid=(\\d+)");

    @Test
    void startsOneChildWithTheSettingsAndPassesArgumentsAndExitStatus() throws Exception {
        Process launcher = start("exit", "7", "two words");
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(launcher.exitValue()).isEqualTo(7);
        assertThat(out.lines().filter(l -> l.contains("starting the JVM again")))
                .as("one relaunch, logged")
                .hasSize(1);
        assertThat(out.lines().filter(l -> l.startsWith("probe ")))
                .singleElement()
                .asString()
                .contains("marker=1", "wait=PASSIVE", "args=exit|7|two words")
                .doesNotContain("pid=" + launcher.pid() + " ");
    }

    @Test
    void sigtermToTheLauncherStopsTheChildGracefullyAndReturnsItsStatus() throws Exception {
        Process launcher = start("wait");
        BufferedReader out =
                new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        long childPid = childPid(out);
        ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
        assertThat(child.parent().map(ProcessHandle::pid)).contains(launcher.pid());

        launcher.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitValue())
                .as("a JVM ended by SIGTERM exits with 143")
                .isEqualTo(143);
        assertThat(out.lines()).contains("probe stopping");
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void theChildStopsWhenTheLauncherIsKilled() throws Exception {
        Process launcher = start("wait");
        BufferedReader out =
                new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        ProcessHandle child = ProcessHandle.of(childPid(out)).orElseThrow();

        launcher.destroyForcibly(); // SIGKILL: no hook runs in the launcher
        assertThat(child.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void theOptOutRunsInTheSameProcess() throws Exception {
        Process launcher = start(List.of(ProcessSettings.OPT_OUT + "=off"), "exit", "3");
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(launcher.exitValue()).isEqualTo(3);
        assertThat(out).doesNotContain("starting the JVM again").contains("pid=" + launcher.pid() + " marker=null");
    }

    private static long childPid(BufferedReader out) throws Exception {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = PID.matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("the probe printed no pid");
    }

    private static Process start(String... args) throws Exception {
        return start(List.of(), args);
    }

    private static Process start(List<String> extraEnv, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RelaunchProbe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        var env = builder.environment();
        env.remove(ProcessSettings.MARKER);
        env.remove(ProcessSettings.OPT_OUT);
        env.remove("OMP_WAIT_POLICY");
        for (String assignment : extraEnv) {
            String[] kv = assignment.split("=", 2);
            env.put(kv[0], kv[1]);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }
}
