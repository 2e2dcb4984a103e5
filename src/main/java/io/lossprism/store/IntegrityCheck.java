package io.lossprism.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;

/**
 * Checks an existing history file before it is opened for writing: SQLite's {@code PRAGMA quick_check}
 * (every page and b-tree, without comparing indexes to their tables) on a read-only connection, so not
 * even a log checkpoint touches a damaged file. Bounded in time: a check that runs out of time is
 * abandoned with a warning and the file is opened unchecked, so a huge history cannot hold start-up.
 */
final class IntegrityCheck {

    private static final Logger LOG = LoggerFactory.getLogger(IntegrityCheck.class);

    /** Longest the check may take: about 10 GB of history on a local disk. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    /** Problems reported: the first is enough to show, a few more cost nothing. */
    private static final int MAX_PROBLEMS = 5;
    /** SQLite virtual-machine steps between two looks at the clock. */
    private static final int STEPS_PER_CLOCK_CHECK = 10_000;

    private static final int SQLITE_INTERRUPT = 9;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private IntegrityCheck() {}

    /**
     * @throws CorruptStoreException naming the file and the first problem when the file is damaged; any
     *         other failure (not a database, unreadable) is left to the normal open, which names it
     */
    static void verify(Path file, Duration limit) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                return; // a new or empty file has nothing to check
            }
        } catch (IOException e) {
            return;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(Database.BUSY_TIMEOUT_MILLIS);
        long start = System.nanoTime();
        try (Connection c = config.createConnection("jdbc:sqlite:" + file)) {
            long deadline = start + limit.toNanos();
            ProgressHandler.setHandler(c, STEPS_PER_CLOCK_CHECK, new ProgressHandler() {
                @Override
                protected int progress() {
                    return System.nanoTime() > deadline ? 1 : 0;
                }
            });
            List<String> problems = quickCheck(c);
            if (!problems.equals(List.of("ok"))) {
                throw corrupt(file, problems.isEmpty() ? "no answer" : problems.get(0), null);
            }
            LOG.debug("{}: quick_check ok in {} ms", file, (System.nanoTime() - start) / 1_000_000);
        } catch (SQLException e) {
            int code = e.getErrorCode() & 0xff;
            if (code == SQLITE_CORRUPT) {
                throw corrupt(file, e.getMessage(), e);
            }
            if (code == SQLITE_INTERRUPT) {
                LOG.warn(
                        "{}: the integrity check did not finish within {} s; opening the history without it",
                        file,
                        limit.toSeconds());
            } else if (code != SQLITE_NOTADB) {
                LOG.warn(
                        "{}: the integrity check could not run ({}); opening the history without it",
                        file,
                        e.getMessage());
            }
            // the normal open then reports what it finds: not a database, locked, unreadable
        }
    }

    private static List<String> quickCheck(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        }
        return problems;
    }

    private static CorruptStoreException corrupt(Path file, String problem, Throwable cause) {
        String oneLine = String.valueOf(problem).strip().replaceAll("\\s*\\R\\s*", "; ");
        return new CorruptStoreException(
                "Run history " + file + " is corrupt (SQLite quick_check: " + oneLine
                        + "); not opened, nothing was written into it. Recover what it holds with sqlite3 (.recover or"
                        + " .dump), or start on a fresh storage.dir: see \"Corrupt run history\" in docs/runbook.md",
                cause);
    }
}
