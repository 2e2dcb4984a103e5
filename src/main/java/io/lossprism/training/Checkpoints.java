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
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one run: model with updater state, one zip per iteration, in the run's folder.
 *
 * <p>Written so that a crash at any moment leaves either the previous checkpoint or the new one: the
 * zip goes to a temporary file, is forced to disk, renamed atomically onto its final name and the
 * folder is forced too. Restoring tries the newest first and falls back to older ones if a file
 * cannot be read, so even a damaged disk costs at most one checkpoint interval more.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{12})\\.zip");

    private final Path dir;
    private final int keep;

    public Checkpoints(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /** A network restored with its updater state, and the training iteration it had completed. */
    public record Restored(ComputationGraph network, long iteration, Path file) {}

    /** Saves the network after {@code iteration} iterations; returns the file. */
    public Path save(ComputationGraph network, long iteration) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(String.format("checkpoint-%012d.zip", iteration));
        Path temporary = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(
                temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            ModelSerializer.writeModel(network, out, true);
            out.flush();
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
        prune();
        return target;
    }

    /** The newest checkpoint that loads, if any. */
    public Optional<Restored> latest() {
        for (Path file : files()) {
            try {
                ComputationGraph network = ModelSerializer.restoreComputationGraph(file.toFile(), true);
                return Optional.of(new Restored(network, iterationOf(file), file));
            } catch (IOException | RuntimeException e) {
                LOG.warn("checkpoint unreadable, trying an older one: file={} reason={}", file, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Checkpoint files, newest first; leftovers of interrupted writes (.tmp) are not among them. */
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

    private void prune() throws IOException {
        List<Path> files = files();
        for (Path old : files.subList(Math.min(keep, files.size()), files.size())) {
            Files.deleteIfExists(old);
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "checkpoint-*.zip.tmp")) {
            for (Path leftover : stream) {
                Files.deleteIfExists(leftover);
            }
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
