package io.lossprism.model;

import io.lossprism.config.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's network comes from, as a run records it: the source and, for a file, the file and its
 * SHA-256. Pure Java, so the run store can use it without loading any network.
 *
 * @param source "unet", "dl4j" or "keras"
 * @param file   the network file; null for unet
 */
public record ModelSource(String source, Path file) {

    /** The configuration key a run records the hash under. */
    public static final String HASH_KEY = "model.sha256";

    public static ModelSource of(ModelConfig model) {
        return new ModelSource(model.source(), model.fromFile() ? Path.of(model.file()) : null);
    }

    /** E.g. "unet" or "keras /data/unet.h5". */
    public String describe() {
        return file == null ? source : source + " " + file;
    }

    /** How messages name the network: "model.file /data/unet.h5", or "unet". */
    public String origin() {
        return file == null ? source : "model.file " + file;
    }

    /** The file's SHA-256 in lower-case hex; empty for a network built here. */
    public String fingerprint() {
        if (file == null) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ModelException(origin() + ": cannot be read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Refuses a file whose hash is not {@code expected} (model.sha256, which a run sets to its file's hash
     * when it starts); an empty {@code expected} accepts any file.
     */
    public void checkUnchanged(String expected) {
        if (expected.isEmpty() || file == null) {
            return;
        }
        String actual = fingerprint();
        if (!actual.equals(expected)) {
            throw new ModelException("model.file " + file + " has changed: its SHA-256 is " + shortHash(actual)
                    + ", the run was started with " + shortHash(expected) + " (model.sha256); put the original file"
                    + " back, or start a new run with this one");
        }
    }

    /**
     * A new run's configuration values with {@value #HASH_KEY} set to its file's hash (unless given), so
     * that resuming it later is refused once the file has changed; unchanged for the built-in network.
     */
    public static Map<String, Object> recordingHash(Map<String, Object> values, ModelConfig model) {
        if (!model.fromFile() || !model.sha256().isEmpty()) {
            return values;
        }
        Map<String, Object> recorded = new LinkedHashMap<>(values);
        recorded.put(HASH_KEY, of(model).fingerprint());
        return recorded;
    }

    private static String shortHash(String hex) {
        return hex.substring(0, 12) + "...";
    }
}
