package io.lossprism.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the {@code runs} table. */
final class Runs {

    private static final String COLUMNS = "id, config, state, iteration, epoch, message, created_at, updated_at";

    private Runs() {}

    static void insert(Connection c, String id, String configJson, long createdAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO runs (" + COLUMNS + ")" + " VALUES (?, ?, 'created', 0, 0, NULL, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, configJson);
            s.setLong(3, createdAt);
            s.setLong(4, createdAt);
            s.executeUpdate();
        }
    }

    static boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    static Optional<RunRecord> find(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE id = ?")) {
            s.setString(1, id);
            List<RunRecord> found = records(s);
            return found.stream().findFirst();
        }
    }

    /** Newest first; runs created in the same millisecond in reverse order of insertion. */
    static List<RunRecord> newest(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM runs" + " ORDER BY created_at DESC, rowid DESC LIMIT ?")) {
            s.setInt(1, limit);
            return records(s);
        }
    }

    static int update(Connection c, String id, String state, long iteration, int epoch, String message, long updatedAt)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE runs SET state = ?, iteration = ?, epoch = ?," + " message = ?, updated_at = ? WHERE id = ?")) {
            s.setString(1, state);
            s.setLong(2, iteration);
            s.setInt(3, epoch);
            s.setString(4, message);
            s.setLong(5, updatedAt);
            s.setString(6, id);
            return s.executeUpdate();
        }
    }

    static int updateState(Connection c, String id, String state, String message, long updatedAt) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("UPDATE runs SET state = ?, message = ?, updated_at = ? WHERE id = ?")) {
            s.setString(1, state);
            s.setString(2, message);
            s.setLong(3, updatedAt);
            s.setString(4, id);
            return s.executeUpdate();
        }
    }

    private static List<RunRecord> records(PreparedStatement s) throws SQLException {
        List<RunRecord> records = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                records.add(new RunRecord(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getInt(5),
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getLong(8)));
            }
        }
        return records;
    }
}
