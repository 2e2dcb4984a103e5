package io.lossprism.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a run's folder holds, read from the file names alone: independent of the code that writes them. */
public final class CheckpointFiles {

    private CheckpointFiles() {}

    /** The iteration of the newest {@code checkpoint-<12 digits>.zip} in a run's folder; 0 when there is none. */
    public static long newest(Path runDir) throws IOException {
        try (Stream<Path> files = Files.list(runDir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("checkpoint-\\d{12}\\.zip"))
                    .mapToLong(n -> Long.parseLong(n.substring(11, 23)))
                    .max()
                    .orElse(0);
        }
    }
}
