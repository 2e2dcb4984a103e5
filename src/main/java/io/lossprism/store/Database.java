package io.lossprism.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one SQLite connection: opened with the settings that make it crash-safe, with every
 * {@link SQLException} turned into a {@link StoreException} that names the file. Thread-safe: each
 * {@link #read} and {@link #transaction} has the connection to itself.
 */
final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** How long a statement waits for a lock held by another connection (sqlite3, pandas) before failing. */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;

    /**
     * Pages of new files. A report is about 2 KB of JSON: with SQLite's default 4 KiB pages one fits per page
     * and the file grows by 4 KB per report; 16 KiB pages hold seven.
     */
    static final int PAGE_SIZE = 16_384;

    /**
     * Room the history needs to go on: SQLite folds its write-ahead log back into the file every 1,000
     * pages (its default), so the log grows to about 1,000 pages between two folds.
     */
    static final long WAL_BYTES = 1_000L * PAGE_SIZE;

    private final Path file;
    private final Connection connection;
    private boolean closed;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (or creates) the database in {@code file} and brings its schema up to date, after checking an
     * existing file's integrity.
     */
    static Database open(Path file) {
        IntegrityCheck.verify(file, IntegrityCheck.LIMIT);
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new StoreException("Cannot open run history " + file + ": " + e.getMessage(), e);
        }
        Database db = new Database(file, connection);
        try {
            db.configure();
            Schema.prepare(db);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private void configure() {
        read("open", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
                s.execute("PRAGMA page_size = " + PAGE_SIZE); // ignored by an existing file
                // The first statement that reads the file: a file that is not a database fails here.
                String mode = text(s, "PRAGMA journal_mode = WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    LOG.warn(
                            "{}: SQLite kept journal mode '{}' (WAL unsupported on this file system?); "
                                    + "still crash-safe, but readers may block writes",
                            file,
                            mode);
                }
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("PRAGMA foreign_keys = ON");
            }
            return null;
        });
    }

    Path file() {
        return file;
    }

    /** Runs {@code work} with the connection in auto-commit mode: each statement is its own transaction. */
    synchronized <T> T read(String what, SqlWork<T> work) {
        checkOpen();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs {@code work} in one transaction: all of its changes are committed, or none. When SQLite rolls a
     * transaction back by itself (SQLITE_FULL does, at a statement or at the commit), the error reported is
     * that one, not the "no transaction is active" of the clean-up after it.
     */
    synchronized <T> T transaction(String what, SqlWork<T> work) {
        checkOpen();
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw failure(what, e);
        }
        Exception failed = null;
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException e) {
            failed = e;
            rollback(e);
            throw failure(what, e);
        } catch (RuntimeException e) {
            failed = e;
            rollback(e);
            throw e;
        } finally {
            restoreAutoCommit(what, failed);
        }
    }

    /** Back to one transaction per statement; a failure here only matters when the transaction succeeded. */
    private void restoreAutoCommit(String what, Exception failed) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            if (failed == null) {
                throw failure(what, e);
            }
            failed.addSuppressed(e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Run history " + file + " is closed");
        }
    }

    private void rollback(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    StoreException failure(String what, Exception e) {
        if (DiskFull.causedBy(e)) {
            Path folder = file.getParent();
            return new StoreFullException(
                    "Run history " + file + ": disk full: " + what + " failed; " + DiskFull.describe(folder, WAL_BYTES)
                            + " (SQLite: " + e.getMessage() + ")",
                    folder,
                    e);
        }
        return new StoreException("Run history " + file + ": " + what + " failed: " + e.getMessage(), e);
    }

    /** The single text value a statement returns (a PRAGMA's answer). */
    static String text(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The single integer value a statement returns. */
    static long number(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Closes the connection; the last connection to close checkpoints and removes the WAL file. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
