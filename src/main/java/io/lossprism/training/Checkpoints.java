package io.lossprism.training;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one run: model with updater state, one zip per iteration, in the run's folder.
 *
 * <p>Written so that a crash at any moment leaves either the previous checkpoint or the new one: the
 * zip goes to a temporary file, is forced to disk, renamed atomically onto its final name and the
 * folder is forced too. A write that fails (a full disk) removes its temporary file. Restoring tries the
 * newest first and falls back to older ones if a file cannot be read, and says which could not be read
 * and why. Retention counts only intact files (every zip entry reads back with its checksum): it keeps
 * the newest {@code keep} of those and the one just written, and moves a damaged file aside (suffix
 * {@value #ASIDE}) instead of counting or deleting it.
 */
public final class Checkpoints {

    /** Suffix of a checkpoint file found damaged and set aside: kept for the user, never read again. */
    public static final String ASIDE = ".unreadable";

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{12})\\.zip");
    /** Entries without which ModelSerializer cannot restore a network. */
    private static final List<String> REQUIRED = List.of("configuration.json", "coefficients.bin");

    private final Path dir;
    private final int keep;
    /** Files found intact, with the size they had then: not read again while the size is the same. */
    private final Map<Path, Long> intact = new HashMap<>();

    public Checkpoints(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /** A network restored with its updater state, and the training iteration it had completed. */
    public record Restored(ComputationGraph network, long iteration, Path file) {}

    /** A checkpoint file that could not be restored, and why. */
    public record Unreadable(Path file, String reason) {}

    /** The newest checkpoint that loads, if any, and the newer files that did not. */
    public record Found(Optional<Restored> restored, List<Unreadable> unreadable) {}

    /** Writes a model to a stream: the I/O boundary of {@link #save(long, ModelWriter)}. */
    @FunctionalInterface
    interface ModelWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Saves the network after {@code iteration} iterations; returns the file.
     *
     * @throws DiskFullException when the folder's disk is full; no partial file is left
     */
    public Path save(ComputationGraph network, long iteration) throws IOException {
        return save(iteration, out -> ModelSerializer.writeModel(network, out, true));
    }

    Path save(long iteration, ModelWriter writer) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(String.format("checkpoint-%012d.zip", iteration));
        Path temporary = dir.resolve(target.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(
                    temporary,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                writer.write(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            long written = sizeOrZero(temporary);
            Files.deleteIfExists(temporary);
            if (DiskFullException.noSpace(e)) {
                throw diskFull(target, written, e);
            }
            throw e;
        }
        forceDirectory();
        prune(target);
        return target;
    }

    /** The newest checkpoint that loads, if any. */
    public Optional<Restored> latest() {
        return restoreNewest().restored();
    }

    /** Restores the newest checkpoint that loads; lists the newer ones that did not, with the reason. */
    public Found restoreNewest() {
        List<Unreadable> unreadable = new ArrayList<>();
        for (Path file : files()) {
            try {
                ComputationGraph network = ModelSerializer.restoreComputationGraph(file.toFile(), true);
                return new Found(Optional.of(new Restored(network, iterationOf(file), file)), unreadable);
            } catch (IOException | RuntimeException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                unreadable.add(new Unreadable(file, reason));
                LOG.warn("checkpoint unreadable, trying an older one: file={} reason={}", file, reason);
            }
        }
        return new Found(Optional.empty(), unreadable);
    }

    /** Whether a checkpoint was ever kept in this folder: one that reads, one that does not, or one set aside. */
    public boolean anyKept() {
        if (!files().isEmpty()) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "checkpoint-*.zip" + ASIDE)) {
            return stream.iterator().hasNext();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Checkpoint files, newest first; leftovers of interrupted writes (.tmp) and files set aside are not among them. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "checkpoint-*.zip")) {
            stream.forEach(p -> {
                if (NAME.matcher(p.getFileName().toString()).matches()) {
                    files.add(p);
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparingLong(Checkpoints::iterationOf).reversed());
        return files;
    }

    /**
     * Whether {@code file} is a complete model zip: every entry reads back with its size and CRC, and the
     * entries a network needs are there. Reads the whole file (a few MB); does not build a network.
     */
    static boolean intact(Path file) {
        List<String> missing = new ArrayList<>(REQUIRED);
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                while (zip.read(buffer) >= 0) {
                    // reading to the end checks the entry's size and CRC
                }
                missing.remove(entry.getName());
            }
            return missing.isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Keeps the newest {@code keep} intact files and {@code written}; sets damaged ones aside. */
    private void prune(Path written) throws IOException {
        int kept = 0;
        for (Path file : files()) {
            if (file.equals(written) || knownIntact(file)) {
                kept++;
                if (kept > keep && !file.equals(written)) {
                    Files.deleteIfExists(file);
                    intact.remove(file);
                }
            } else {
                Path aside = file.resolveSibling(file.getFileName() + ASIDE);
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                LOG.warn("checkpoint {} is damaged (not a complete model zip); moved aside to {}", file, aside);
            }
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "checkpoint-*.zip.tmp")) {
            for (Path leftover : stream) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private boolean knownIntact(Path file) {
        long size = sizeOrZero(file);
        Long checked = intact.get(file);
        if (checked != null && checked == size) {
            return true;
        }
        boolean ok = intact(file);
        if (ok) {
            intact.put(file, size);
        }
        return ok;
    }

    /** The message of a write that failed for lack of room: where, and about how much a checkpoint takes. */
    private DiskFullException diskFull(Path target, long written, IOException cause) {
        long needed = files().stream().mapToLong(Checkpoints::sizeOrZero).max().orElse(written);
        String free;
        try {
            free = String.format(
                    Locale.ROOT, "%.1f MB free", Files.getFileStore(dir).getUsableSpace() / 1e6);
        } catch (IOException e) {
            free = "free space unknown";
        }
        return new DiskFullException(
                String.format(
                        Locale.ROOT,
                        "disk full: could not write checkpoint %s in %s; needs about %.1f MB (%s), %s",
                        target.getFileName(),
                        dir,
                        Math.max(needed, written) / 1e6,
                        needed > 0 ? "the size of the last checkpoint" : "written when the disk filled up",
                        free),
                dir,
                cause);
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename itself is still atomic
            LOG.debug("directory sync not supported: {}", e.getMessage());
        }
    }

    private static long iterationOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a checkpoint file: " + file);
        }
        return Long.parseLong(m.group(1));
    }
}
