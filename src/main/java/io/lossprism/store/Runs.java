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
    private static final String READ_COLUMNS = COLUMNS + ", name, notes";

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

    /** A run of another kind than "dl4j", with its metadata (JSON). */
    static void insert(Connection c, String id, String kind, String configJson, String metaJson, long createdAt)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO runs (" + COLUMNS + ", kind, meta)"
                + " VALUES (?, ?, 'created', 0, 0, NULL, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, configJson);
            s.setLong(3, createdAt);
            s.setLong(4, createdAt);
            s.setString(5, kind);
            s.setString(6, metaJson);
            s.executeUpdate();
        }
    }

    static Optional<RunOrigin> origin(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT kind, meta FROM runs WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new RunOrigin(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
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
        try (PreparedStatement s = c.prepareStatement("SELECT " + READ_COLUMNS + " FROM runs WHERE id = ?")) {
            s.setString(1, id);
            List<RunRecord> found = records(s);
            return found.stream().findFirst();
        }
    }

    /** Newest first; runs created in the same millisecond in reverse order of insertion. */
    static List<RunRecord> newest(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT " + READ_COLUMNS + " FROM runs" + " ORDER BY created_at DESC, rowid DESC LIMIT ?")) {
            s.setInt(1, limit);
            return records(s);
        }
    }

    /** The newest run of one kind. */
    static Optional<RunRecord> newestOfKind(Connection c, String kind) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + READ_COLUMNS + " FROM runs WHERE kind = ?"
                + " ORDER BY created_at DESC, rowid DESC LIMIT 1")) {
            s.setString(1, kind);
            return records(s).stream().findFirst();
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

    /** Sets the name and notes; a null leaves that one as it is, an empty text clears it. */
    static int label(Connection c, String id, String name, String notes) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE runs SET"
                + " name = CASE WHEN ? THEN nullif(?, '') ELSE name END,"
                + " notes = CASE WHEN ? THEN nullif(?, '') ELSE notes END WHERE id = ?")) {
            s.setBoolean(1, name != null);
            s.setString(2, name);
            s.setBoolean(3, notes != null);
            s.setString(4, notes);
            s.setString(5, id);
            return s.executeUpdate();
        }
    }

    static int delete(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM runs WHERE id = ?")) {
            s.setString(1, id);
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
                        rs.getLong(8),
                        rs.getString(9),
                        rs.getString(10)));
            }
        }
        return records;
    }
}
