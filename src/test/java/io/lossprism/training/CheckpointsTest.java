package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention and write failures of checkpoint files, without a network: the writer is the I/O boundary,
 * here writing a small zip of the entries a model file has, or failing as the JDK does on a full disk.
 */
class CheckpointsTest {

    @TempDir
    Path dir;

    /** A zip with the entries ModelSerializer writes, {@code size} bytes of coefficients. */
    static Checkpoints.ModelWriter model(int size) {
        return out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry("configuration.json"));
            zip.write("{}".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("coefficients.bin"));
            byte[] coefficients = new byte[size];
            new java.util.Random(size).nextBytes(coefficients); // incompressible: the file is about size bytes
            zip.write(coefficients);
            zip.finish();
        };
    }

    /** Writes {@code before} bytes, then fails as FileChannel.write does when the disk is full. */
    static Checkpoints.ModelWriter fullAfter(int before) {
        return (OutputStream out) -> {
            out.write(new byte[before]);
            throw new IOException("No space left on device");
        };
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String name(long iteration) {
        return String.format("checkpoint-%012d.zip", iteration);
    }

    @Test
    void retentionKeepsTheNewestReadableOnesAndMovesUnreadableOnesAside() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir, 2);
        checkpoints.save(10, model(1000));
        checkpoints.save(20, model(1000));
        // damaged while the server was down: the three newest, truncated to nothing
        for (long i : new long[] {30, 40, 50}) {
            Files.write(dir.resolve(name(i)), new byte[0]);
        }

        checkpoints.save(21, model(1000));

        assertThat(names())
                .as("the readable 21 and 20 kept, 10 pruned, the empty files set aside, not counted, not deleted")
                .containsExactly(
                        name(20),
                        name(21),
                        name(30) + ".unreadable",
                        name(40) + ".unreadable",
                        name(50) + ".unreadable");
        assertThat(checkpoints.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactly(name(21), name(20));
    }

    @Test
    void theCheckpointJustWrittenIsNeverPrunedEvenBehindNewerOnes() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir, 1);
        checkpoints.save(40, model(100));
        checkpoints.save(50, model(100));

        checkpoints.save(45, model(100));

        assertThat(names()).contains(name(45));
    }

    @Test
    void aFullDiskLeavesNoPartialFileAndSaysWhereAndHowMuch() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir, 3);
        checkpoints.save(10, model(2_000_000));

        Throwable failure = catchThrowable(() -> checkpoints.save(20, fullAfter(4096)));

        assertThat(failure).isInstanceOf(DiskFullException.class);
        assertThat(failure.getMessage())
                .contains("disk full", dir.toString(), "2.0 MB", "MB free")
                .contains(name(20));
        assertThat(((DiskFullException) failure).folder()).isEqualTo(dir);
        assertThat(names())
                .as("the temporary file removed, the older checkpoint intact")
                .containsExactly(name(10));
        assertThat(Checkpoints.intact(dir.resolve(name(10)))).isTrue();
    }

    @Test
    void anotherWriteFailureStaysAnIoException() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir, 3);

        Throwable failure = catchThrowable(() -> checkpoints.save(20, out -> {
            throw new IOException("Input/output error");
        }));

        assertThat(failure).isInstanceOf(IOException.class).isNotInstanceOf(DiskFullException.class);
        assertThat(names()).isEmpty();
    }

    @Test
    void intactMeansEveryEntryReadsBackWithItsChecksum() throws Exception {
        Checkpoints checkpoints = new Checkpoints(dir, 3);
        Path file = checkpoints.save(10, model(100_000));
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.zip");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path empty = Files.write(dir.resolve("empty.zip"), new byte[0]);

        assertThat(Checkpoints.intact(file)).isTrue();
        assertThat(Checkpoints.intact(truncated)).isFalse();
        assertThat(Checkpoints.intact(empty)).isFalse();
    }
}
