package io.lossprism.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL ({@code destroyForcibly}) several times over the same data directory
 * and checks after each kill that the store opens, passes SQLite's integrity check, kept every commit the
 * writer had acknowledged, and covers iterations 1..n without a gap or an overlap, merged rows included.
 */
class RunStoreCrashIT {

    private static final int ROUNDS = 4;

    @TempDir
    Path dir;

    @Test
    void killedWritersLoseNoCommitAndLeaveNoGap() {
        Random random = new Random(42);
        long next = 1;
        for (int round = 0; round < ROUNDS; round++) {
            // Kill at a different point each round, after at least two retention passes of this writer.
            long killAfter = next + 250 + random.nextInt(300);
            long acknowledged = runAndKill(next, killAfter);
            long n = verify(acknowledged);
            System.out.printf(
                    "RunStoreCrashIT round %d: killed after commit %d, %d iterations stored%n", round, acknowledged, n);
            next = n + 1;
        }
    }

    private long runAndKill(long first, long killAfter) {
        return assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            Path stderr = dir.resolve("writer-" + first + ".err");
            Process writer = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashingWriter.class.getName(),
                            dir.resolve("data").toString(),
                            Long.toString(first))
                    .redirectError(stderr.toFile())
                    .start();
            long acknowledged = first - 1;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while (acknowledged < killAfter && (line = out.readLine()) != null) {
                    if (line.startsWith(CrashingWriter.ACK)) {
                        acknowledged = Long.parseLong(line.substring(CrashingWriter.ACK.length()));
                    }
                }
                writer.destroyForcibly();
                writer.waitFor(30, TimeUnit.SECONDS);
            }
            if (acknowledged < killAfter) {
                fail(
                        "writer stopped by itself at %d (exit %d): %s",
                        acknowledged, writer.exitValue(), Files.readString(stderr));
            }
            assertThat(writer.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
            return acknowledged;
        });
    }

    /** Checks the store after a kill; returns the last iteration stored. */
    private long verify(long acknowledged) {
        try (RunStore store = RunStore.open(dir.resolve("data"))) {
            assertThat(integrityCheck(store.file())).isEqualTo("ok");
            List<StoredReport> rows = store.reports(CrashingWriter.RUN, "train", 0, Integer.MAX_VALUE);
            long previous = 0;
            for (StoredReport row : rows) {
                assertThat(row.iteration() - previous)
                        .as("row at %d stands for the iterations since %d", row.iteration(), previous)
                        .isEqualTo(row.merged());
                JsonObject json = new JsonObject(row.json());
                assertThat(json.getLong("iteration")).isEqualTo(row.iteration());
                assertThat(json.getInteger("merged", 1)).isEqualTo(row.merged());
                previous = row.iteration();
            }
            long n = previous;
            assertThat(n).as("every acknowledged commit survived").isGreaterThanOrEqualTo(acknowledged);
            assertThat(store.reportedIterations(CrashingWriter.RUN, "train")).isEqualTo(n);
            assertThat(rows)
                    .as("retention ran")
                    .anySatisfy(r -> assertThat(r.merged()).isEqualTo(10));
            assertThat(store.alerts(CrashingWriter.RUN, Integer.MAX_VALUE))
                    .allSatisfy(a -> assertThat(a.iteration()).isLessThanOrEqualTo(n));
            return n;
        }
    }

    private static String integrityCheck(Path file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            throw new AssertionError("integrity check of " + file + " failed", e);
        }
    }
}
