package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSplitTest {

    private static final List<String> CLASSES = List.of("road");

    @TempDir
    Path dir;

    @Test
    void addingImagesMovesNoExistingImageBetweenSplits() {
        DatasetFolder ds = new DatasetFolder(dir);
        addImages(ds, 0, 40);
        FolderDataset before = load(ds, 0.25);
        List<String> trainBefore = names(before, Split.TRAIN);
        List<String> validationBefore = names(before, Split.VALIDATION);
        assertThat(validationBefore).isNotEmpty();
        assertThat(trainBefore).isNotEmpty();

        addImages(ds, 40, 60);
        FolderDataset after = load(ds, 0.25);
        assertThat(names(after, Split.TRAIN)).containsAll(trainBefore).doesNotContainAnyElementsOf(validationBefore);
        assertThat(names(after, Split.VALIDATION)).containsAll(validationBefore);
        assertThat(after.size(Split.TRAIN) + after.size(Split.VALIDATION)).isEqualTo(60);
        for (String name : names(after, Split.VALIDATION)) {
            assertThat(HashSplit.isValidation(name, 0.25)).as(name).isTrue();
        }
    }

    @Test
    void theValidationSplitIsFilledFromItsOwnImages() {
        DatasetFolder ds = new DatasetFolder(dir);
        // img1 hashes to bucket 2476: validation at fraction 0.5; "photo_0001" (9664) stays in training
        ds.rgb("img1.png", 2, 2, (x, y) -> 0x010203);
        ds.index("img1", 2, 2, (x, y) -> 1);
        ds.rgb("photo_0001.png", 2, 2, (x, y) -> 0);
        ds.index("photo_0001", 2, 2, (x, y) -> 0);
        FolderDataset data = FolderDataset.load(
                dir, CLASSES, 2, MaskCoding.AUTO, Resize.STRETCH, 0.5, false, 50_000_000, ProgressListener.NONE);
        assertThat(names(data, Split.TRAIN)).containsExactly("photo_0001");
        assertThat(names(data, Split.VALIDATION)).containsExactly("img1");
        SegmentationBatch batch = SegmentationBatch.allocate(1, 2, 1);
        data.fill(Split.VALIDATION, new int[] {0}, batch);
        assertThat(batch.images()).containsExactly(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        assertThat(batch.masks()).containsExactly(1, 1, 1, 1);
    }

    /** Both names hash into validation at 0.9; the higher bucket ("a", 5907 > 2476) trains instead. */
    @Test
    void aTinyDatasetKeepsOneImageForTraining() {
        DatasetFolder ds = new DatasetFolder(dir);
        for (String name : List.of("img1", "a")) {
            ds.plain(name);
            ds.index(name, 8, 8, (x, y) -> 0);
        }
        FolderDataset data = load(ds, 0.9);
        assertThat(names(data, Split.TRAIN)).containsExactly("a");
        assertThat(names(data, Split.VALIDATION)).containsExactly("img1");
    }

    @Test
    void progressIsReportedOncePerImageInOrder() {
        DatasetFolder ds = new DatasetFolder(dir);
        addImages(ds, 0, 5);
        List<String> calls = new ArrayList<>();
        FolderDataset.load(
                dir,
                CLASSES,
                8,
                MaskCoding.AUTO,
                Resize.STRETCH,
                0.1,
                false,
                50_000_000,
                (done, total) -> calls.add(done + "/" + total));
        assertThat(calls).containsExactly("1/5", "2/5", "3/5", "4/5", "5/5");
    }

    private static void addImages(DatasetFolder ds, int from, int to) {
        for (int i = from; i < to; i++) {
            String name = String.format("img%03d", i);
            ds.plain(name);
            ds.index(name, 8, 8, (x, y) -> 0);
        }
    }

    private FolderDataset load(DatasetFolder ds, double fraction) {
        return FolderDataset.load(
                ds.root,
                CLASSES,
                8,
                MaskCoding.AUTO,
                Resize.STRETCH,
                fraction,
                false,
                50_000_000,
                ProgressListener.NONE);
    }

    private static List<String> names(FolderDataset data, Split split) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < data.size(split); i++) {
            names.add(data.name(split, i));
        }
        return names;
    }
}
