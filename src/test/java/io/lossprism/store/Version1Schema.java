package io.lossprism.store;

import java.sql.SQLException;
import java.sql.Statement;

/** The tables exactly as schema version 1 created them (before names, notes and run kinds), for migration tests. */
final class Version1Schema {

    private Version1Schema() {}

    /** Creates the version 1 tables and marks the file as LossPrism's, version 1; no rows. */
    static void create(Statement s) throws SQLException {
        s.execute("CREATE TABLE runs (id TEXT PRIMARY KEY, config TEXT NOT NULL, state TEXT NOT NULL,"
                + " iteration INTEGER NOT NULL, epoch INTEGER NOT NULL, message TEXT,"
                + " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)");
        s.execute("CREATE TABLE reports (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                + " split TEXT NOT NULL, iteration INTEGER NOT NULL, merged INTEGER NOT NULL, json TEXT NOT NULL,"
                + " PRIMARY KEY (run_id, split, iteration))");
        s.execute("CREATE TABLE alerts (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, iteration INTEGER NOT NULL,"
                + " time INTEGER NOT NULL, json TEXT NOT NULL)");
        s.execute("CREATE INDEX alerts_by_run ON alerts (run_id, seq)");
        s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
        s.execute("PRAGMA user_version = 1");
    }
}
