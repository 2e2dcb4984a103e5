package io.lossprism.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The SQL of the {@code alerts} table: transitions in the order they were appended. */
final class Alerts {

    private Alerts() {}

    static void insert(Connection c, String runId, long iteration, long timeMillis, String json) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO alerts (run_id, iteration, time, json) VALUES (?, ?, ?, ?)")) {
            s.setString(1, runId);
            s.setLong(2, iteration);
            s.setLong(3, timeMillis);
            s.setString(4, json);
            s.executeUpdate();
        }
    }

    /** The last {@code limit} alerts of the run, oldest first. */
    static List<StoredAlert> last(Connection c, String runId, int limit) throws SQLException {
        List<StoredAlert> alerts = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT iteration, time, json FROM"
                + " (SELECT seq, iteration, time, json FROM alerts WHERE run_id = ? ORDER BY seq DESC LIMIT ?)"
                + " ORDER BY seq")) {
            s.setString(1, runId);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    alerts.add(new StoredAlert(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return alerts;
    }

    /** How many of the run's transitions went to firing. */
    static long countFiring(Connection c, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM alerts WHERE run_id = ? AND json_extract(json, '$.to') = 'firing'")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static int deleteRun(Connection c, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM alerts WHERE run_id = ?")) {
            s.setString(1, runId);
            return s.executeUpdate();
        }
    }

    static int deleteAfter(Connection c, String runId, long iteration) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM alerts WHERE run_id = ? AND iteration > ?")) {
            s.setString(1, runId);
            s.setLong(2, iteration);
            return s.executeUpdate();
        }
    }
}
