package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading on every core holds no more decoded bytes at once than its {@link DecodeMemory} allows. */
class FolderDecodeMemoryTest {

    private static final List<String> CLASSES = List.of("road");
    /** A 32x32 8-bit RGB PNG decodes to 3 bytes per pixel; its grey index mask to 1. */
    private static final long IMAGE_BYTES = 32 * 32 * 3;

    @TempDir
    Path dir;

    @Test
    void decodedBytesInFlightStayWithinTheBudget() {
        DatasetFolder ds = new DatasetFolder(dir);
        for (int i = 0; i < 24; i++) {
            int shade = i;
            ds.rgb("img" + i + ".png", 32, 32, (x, y) -> shade * 0x010101);
            ds.index("img" + i, 32, 32, (x, y) -> (x + y) % 2);
        }
        DecodeMemory memory = new DecodeMemory(2 * IMAGE_BYTES);

        FolderDataset data = load(memory);

        assertThat(data.size(Split.TRAIN)).isEqualTo(24);
        assertThat(memory.peak()).isBetween(IMAGE_BYTES, 2 * IMAGE_BYTES);
    }

    @Test
    void aBudgetSmallerThanOneImageDecodesOneAtATime() {
        DatasetFolder ds = new DatasetFolder(dir);
        for (int i = 0; i < 8; i++) {
            ds.rgb("img" + i + ".png", 32, 32, (x, y) -> 0x808080);
            ds.index("img" + i, 32, 32, (x, y) -> 1);
        }
        DecodeMemory memory = new DecodeMemory(1);

        assertThat(load(memory).size(Split.TRAIN)).isEqualTo(8);
        assertThat(memory.peak()).isEqualTo(IMAGE_BYTES);
    }

    private FolderDataset load(DecodeMemory memory) {
        return new FolderLoader(
                        dir,
                        CLASSES,
                        16,
                        MaskCoding.AUTO,
                        Resize.STRETCH,
                        0.0,
                        false,
                        50_000_000,
                        memory,
                        ProgressListener.NONE)
                .load();
    }
}
