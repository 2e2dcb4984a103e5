package io.lossprism.store;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables and their version. {@code PRAGMA user_version} holds the schema version and
 * {@code PRAGMA application_id} marks the file as LossPrism's, so a file of another application or of a
 * newer LossPrism is refused instead of being written into.
 */
final class Schema {

    /** The version this code writes; raise it with a migration step in {@link #MIGRATIONS}. */
    static final int VERSION = 2;

    /** "LPRS" in ASCII. */
    static final int APPLICATION_ID = 0x4C505253;

    private static final String[] CREATE = {
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            config TEXT NOT NULL,
            state TEXT NOT NULL,
            iteration INTEGER NOT NULL,
            epoch INTEGER NOT NULL,
            message TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL)""",
        // A rowid table: WITHOUT ROWID suits rows far smaller than a report's JSON.
        """
        CREATE TABLE reports (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            split TEXT NOT NULL,
            iteration INTEGER NOT NULL,
            merged INTEGER NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (run_id, split, iteration))""",
        """
        CREATE TABLE alerts (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            iteration INTEGER NOT NULL,
            time INTEGER NOT NULL,
            json TEXT NOT NULL)""",
        "CREATE INDEX alerts_by_run ON alerts (run_id, seq)",
    };

    /**
     * The steps from each version to the next: {@code MIGRATIONS[v - 1]} takes a file from version v to
     * v + 1. A new file is created at version 1 and taken through all of them, so new and migrated files
     * end up alike.
     */
    private static final String[][] MIGRATIONS = {
        // 1 -> 2: a run's name and free-text notes, set through PATCH /api/runs/{id}
        {"ALTER TABLE runs ADD COLUMN name TEXT", "ALTER TABLE runs ADD COLUMN notes TEXT"},
    };

    private Schema() {}

    /** Creates the tables in an empty file or migrates an older one; refuses a foreign or newer file. */
    static void prepare(Database db) {
        db.transaction("schema check", c -> {
            try (Statement s = c.createStatement()) {
                long applicationId = Database.number(s, "PRAGMA application_id");
                long version = Database.number(s, "PRAGMA user_version");
                if (applicationId != 0 && applicationId != APPLICATION_ID) {
                    throw foreign(db, "its application_id is 0x" + Long.toHexString(applicationId));
                }
                if (version > VERSION) {
                    throw new StoreException("Run history " + db.file() + " has schema version " + version
                            + ", written by a newer LossPrism; this one reads up to version " + VERSION
                            + ". Upgrade LossPrism or choose another data directory.");
                }
                if (version == 0) {
                    if (Database.number(s, "SELECT count(*) FROM sqlite_schema") > 0) {
                        throw foreign(db, "it has tables but no LossPrism schema version");
                    }
                    create(s);
                    version = 1;
                }
                migrate(s, (int) version);
            }
            return null;
        });
    }

    private static void create(Statement s) throws SQLException {
        for (String sql : CREATE) {
            s.execute(sql);
        }
        s.execute("PRAGMA application_id = " + APPLICATION_ID);
        s.execute("PRAGMA user_version = 1");
    }

    /** Applies the steps after {@code from}, in the caller's transaction: a failed step leaves the file as it was. */
    private static void migrate(Statement s, int from) throws SQLException {
        for (int version = from; version < VERSION; version++) {
            for (String sql : MIGRATIONS[version - 1]) {
                s.execute(sql);
            }
        }
        if (from < VERSION) {
            s.execute("PRAGMA user_version = " + VERSION);
        }
    }

    private static StoreException foreign(Database db, String why) {
        return new StoreException("Run history " + db.file() + " is a SQLite database of another application (" + why
                + "); choose another data directory.");
    }
}
