package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints of the real U-Net: resuming continues exactly, and a damaged file is passed over. */
class CheckpointsIT {

    @TempDir
    Path dir;

    private static AppConfig config() {
        // 4 iterations per epoch, so the checkpoint at 6 sits in the middle of the second epoch
        return ConfigLoader.load(
                null,
                List.of(
                        "training.imageSize=32",
                        "training.batchSize=2",
                        "data.trainImages=8",
                        "data.validationImages=0",
                        "training.epochs=3"));
    }

    @Test
    void resumingFromACheckpointContinuesBitForBit() throws Exception {
        Trainer original = new Trainer(config());
        for (int i = 0; i < 6; i++) {
            original.step();
        }
        Checkpoints checkpoints = new Checkpoints(dir, 3);
        Path file = checkpoints.save(original.network(), original.iteration());
        List<Double> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.add(original.step().reportedLoss());
        }

        Trainer resumed = new Trainer(config());
        resumed.restore(checkpoints.latest().orElseThrow());
        assertThat(file.getFileName().toString()).isEqualTo("checkpoint-000000000006.zip");
        assertThat(resumed.iteration()).isEqualTo(6);
        assertThat(resumed.epoch()).isEqualTo(1);
        List<Double> actual = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            actual.add(resumed.step().reportedLoss());
        }
        // same weights, same updater state, same data order: the same losses to the last bit
        assertThat(actual).isEqualTo(expected);
        assertThat(resumed.iteration()).isEqualTo(10);
        assertThat(resumed.epoch()).isEqualTo(2);
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToTheOneBeforeAndOnlyKeepAreKept() throws Exception {
        Trainer trainer = new Trainer(config());
        Checkpoints checkpoints = new Checkpoints(dir, 2);
        for (int i = 1; i <= 3; i++) {
            trainer.step();
            checkpoints.save(trainer.network(), trainer.iteration());
        }
        assertThat(checkpoints.files())
                .extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-000000000003.zip", "checkpoint-000000000002.zip");

        // a crash mid-write leaves a .tmp (ignored); a damaged disk leaves a truncated zip (skipped)
        Files.write(dir.resolve("checkpoint-000000000004.zip.tmp"), new byte[] {1, 2, 3});
        Path newest = dir.resolve("checkpoint-000000000003.zip");
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 3));

        Checkpoints.Restored restored = checkpoints.latest().orElseThrow();
        assertThat(restored.iteration()).isEqualTo(2);
        assertThat(checkpoints.files().get(0).getFileName().toString()).isEqualTo("checkpoint-000000000003.zip");
    }

    @Test
    void noCheckpointMeansNothingToRestore() {
        assertThat(new Checkpoints(dir.resolve("absent"), 3).latest()).isEmpty();
    }
}
