package io.lossprism.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The SQL of the {@code reports} table, keyed by run, split and iteration. */
final class Reports {

    private static final String UPSERT =
            "INSERT OR REPLACE INTO reports (run_id, split, iteration, merged, json) VALUES (?, ?, ?, ?, ?)";

    private Reports() {}

    /** Stores each row at full detail, replacing a row already at its key. */
    static void upsert(Connection c, String runId, List<ReportRow> rows) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(UPSERT)) {
            for (ReportRow row : rows) {
                bind(s, runId, row.split(), row.iteration(), 1, row.json());
                if (rows.size() == 1) {
                    s.executeUpdate();
                } else {
                    s.addBatch();
                }
            }
            if (rows.size() > 1) {
                s.executeBatch();
            }
        }
    }

    /** Stores each row whose key is free; {@code true} at the index of each row stored, false for one already there. */
    static boolean[] insertNew(Connection c, String runId, List<ReportRow> rows) throws SQLException {
        boolean[] stored = new boolean[rows.size()];
        try (PreparedStatement s = c.prepareStatement(
                "INSERT OR IGNORE INTO reports (run_id, split, iteration, merged, json) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < rows.size(); i++) {
                ReportRow row = rows.get(i);
                bind(s, runId, row.split(), row.iteration(), 1, row.json());
                stored[i] = s.executeUpdate() == 1;
            }
        }
        return stored;
    }

    static List<StoredReport> after(Connection c, String runId, String split, long afterIteration, int limit)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT split, iteration, merged, json FROM reports"
                + " WHERE run_id = ? AND split = ? AND iteration > ? ORDER BY iteration LIMIT ?")) {
            s.setString(1, runId);
            s.setString(2, split);
            s.setLong(3, afterIteration);
            s.setInt(4, limit);
            return rows(s);
        }
    }

    /** The row of a split with the highest iteration, if any. */
    static Optional<StoredReport> latest(Connection c, String runId, String split) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT split, iteration, merged, json FROM reports"
                + " WHERE run_id = ? AND split = ? ORDER BY iteration DESC LIMIT 1")) {
            s.setString(1, runId);
            s.setString(2, split);
            return rows(s).stream().findFirst();
        }
    }

    static int deleteRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM reports WHERE run_id = ?")) {
            s.setString(1, runId);
            return s.executeUpdate();
        }
    }

    /** Rows of one split, or of all splits when {@code split} is null; and the iterations they stand for. */
    static long count(Connection c, String runId, String split, boolean iterations) throws SQLException {
        String what = iterations ? "coalesce(sum(merged), 0)" : "count(*)";
        String where = split == null ? "" : " AND split = ?";
        try (PreparedStatement s = c.prepareStatement("SELECT " + what + " FROM reports WHERE run_id = ?" + where)) {
            s.setString(1, runId);
            if (split != null) {
                s.setString(2, split);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The highest stored iteration of the run, any split; 0 when none. */
    static long last(Connection c, String runId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT coalesce(max(iteration), 0) FROM reports WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static int deleteAfter(Connection c, String runId, long iteration) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM reports WHERE run_id = ? AND iteration > ?")) {
            s.setString(1, runId);
            s.setLong(2, iteration);
            return s.executeUpdate();
        }
    }

    /** Splits of the run with full-detail rows at or before {@code upTo}. */
    static List<String> splitsWithDetail(Connection c, String runId, long upTo) throws SQLException {
        List<String> splits = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT split FROM reports"
                + " WHERE run_id = ? AND merged = 1 AND iteration <= ? ORDER BY split")) {
            s.setString(1, runId);
            s.setLong(2, upTo);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    splits.add(rs.getString(1));
                }
            }
        }
        return splits;
    }

    /** The first full-detail iteration in ({@code after}, {@code upTo}], if any. */
    static OptionalLong firstDetail(Connection c, String runId, String split, long after, long upTo)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT min(iteration) FROM reports"
                + " WHERE run_id = ? AND split = ? AND merged = 1 AND iteration > ? AND iteration <= ?")) {
            bindRange(s, runId, split, after, upTo);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long first = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(first);
            }
        }
    }

    /** Full-detail rows in ({@code after}, {@code upTo}], ascending. */
    static List<StoredReport> detail(Connection c, String runId, String split, long after, long upTo)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT split, iteration, merged, json FROM reports"
                + " WHERE run_id = ? AND split = ? AND merged = 1 AND iteration > ? AND iteration <= ?"
                + " ORDER BY iteration")) {
            bindRange(s, runId, split, after, upTo);
            return rows(s);
        }
    }

    /** Replaces the full-detail rows in [{@code first}, {@code last}] by one row at {@code last}. */
    static void replace(Connection c, String runId, String split, long first, long last, int merged, String json)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM reports"
                + " WHERE run_id = ? AND split = ? AND merged = 1 AND iteration >= ? AND iteration <= ?")) {
            bindRange(s, runId, split, first, last);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(UPSERT)) {
            bind(s, runId, split, last, merged, json);
            s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, String runId, String split, long iteration, int merged, String json)
            throws SQLException {
        s.setString(1, runId);
        s.setString(2, split);
        s.setLong(3, iteration);
        s.setInt(4, merged);
        s.setString(5, json);
    }

    private static void bindRange(PreparedStatement s, String runId, String split, long from, long to)
            throws SQLException {
        s.setString(1, runId);
        s.setString(2, split);
        s.setLong(3, from);
        s.setLong(4, to);
    }

    private static List<StoredReport> rows(PreparedStatement s) throws SQLException {
        List<StoredReport> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new StoredReport(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4)));
            }
        }
        return rows;
    }
}
