package io.lossprism.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A run's {@link ModelSummary} as {@code model.json} in the run's folder, next to its checkpoints. */
public final class ModelSummaryFile {

    public static final String NAME = "model.json";
    private static final Logger LOG = LoggerFactory.getLogger(ModelSummaryFile.class);

    private ModelSummaryFile() {}

    /** Writes it whole or not at all (temporary file, then rename); a failure is logged, training goes on. */
    public static void write(Path runDir, ModelSummary summary) {
        try {
            Files.createDirectories(runDir);
            Path temporary = runDir.resolve(NAME + ".tmp");
            Files.writeString(temporary, new ObjectMapper().writeValueAsString(summary.toMap()));
            Files.move(
                    temporary,
                    runDir.resolve(NAME),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("model summary not written: dir={} reason={}", runDir, e.getMessage());
        }
    }
}
