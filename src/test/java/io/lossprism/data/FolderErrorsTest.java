package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Problems with the folder as a whole: always an error naming data.folder and the path, skip or not. */
class FolderErrorsTest {

    @TempDir
    Path dir;

    @Test
    void aMissingFolder() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> load(missing, true))
                .isInstanceOf(DatasetException.class)
                .hasMessage("data.folder: " + missing + " does not exist");
    }

    @Test
    void aFileInsteadOfAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("ds.txt"), "x");
        assertThatThrownBy(() -> load(file, true)).hasMessage("data.folder: " + file + " is not a directory");
    }

    @Test
    void noImagesDirectory() throws IOException {
        Files.createDirectories(dir.resolve("masks"));
        assertThatThrownBy(() -> load(dir, true))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("data.folder: " + dir + " has no images/ directory")
                .hasMessageContaining("Train on your own data");
    }

    @Test
    void noMasksDirectory() throws IOException {
        Files.createDirectories(dir.resolve("images"));
        assertThatThrownBy(() -> load(dir, true))
                .hasMessageStartingWith("data.folder: " + dir + " has no masks/ directory");
    }

    @Test
    void noImagesFound() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.bytes(ds.images.resolve("notes.txt"), new byte[] {1});
        ds.bytes(ds.images.resolve("scan.tiff"), new byte[] {1});
        assertThatThrownBy(() -> load(dir, true))
                .hasMessageStartingWith("data.folder: no images in " + ds.images + " (looked for .png, .jpg and .jpeg");
    }

    @Test
    void everyImageSkippedLeavesNothingToTrainOn() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.plain("a");
        ds.plain("b");
        assertThatThrownBy(() -> load(dir, true))
                .isInstanceOf(DatasetException.class)
                .hasMessage("data.folder: no training images in " + dir + ": all 2 images were skipped as bad files");
    }

    private static FolderDataset load(Path folder, boolean skip) {
        return FolderDataset.load(
                folder,
                List.of("road"),
                8,
                MaskCoding.AUTO,
                Resize.STRETCH,
                0.1,
                skip,
                50_000_000,
                ProgressListener.NONE);
    }
}
