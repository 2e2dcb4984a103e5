package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.config.DataConfig;
import io.lossprism.config.Optimizer;
import io.lossprism.config.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    @Test
    void syntheticDataIsTheBuiltInSceneGenerator() {
        Dataset data = Datasets.open(data("synthetic", ""), training(32, 4, List.of("disc", "bar")));
        assertThat(data).isInstanceOf(SyntheticDataset.class);
        assertThat(data.size(Split.TRAIN)).isEqualTo(20);
        assertThat(data.size(Split.VALIDATION)).isEqualTo(6);
        assertThat(data.imageSize()).isEqualTo(32);
        assertThat(data.classes()).isEqualTo(2);
        // the same scenes as the generator with data.seed and data.balanced
        SegmentationBatch fromDataset = SegmentationBatch.allocate(1, 32, 2);
        data.fill(Split.TRAIN, new int[] {3}, fromDataset);
        SegmentationBatch direct = SegmentationBatch.allocate(1, 32, 2);
        new SyntheticShapes(32, 2, 11, true).fill(Split.TRAIN, new int[] {3}, direct);
        assertThat(fromDataset.images()).containsExactly(direct.images());
    }

    @Test
    void folderDataIsLoadedFromDataFolderWithTheTrainingClassesAndSize() {
        DatasetFolder ds = new DatasetFolder(dir);
        for (int i = 0; i < 4; i++) {
            ds.plain("p" + i);
            ds.index("p" + i, 8, 8, (x, y) -> 2);
        }
        Dataset data = Datasets.open(data("folder", dir.toString()), training(16, 2, List.of("road", "car")));
        assertThat(data).isInstanceOf(FolderDataset.class);
        assertThat(data.imageSize()).isEqualTo(16);
        assertThat(data.size(Split.TRAIN) + data.size(Split.VALIDATION)).isEqualTo(4);
        SegmentationBatch batch = SegmentationBatch.allocate(1, 16, 2);
        data.fill(Split.TRAIN, new int[] {0}, batch);
        assertThat(batch.masks()[256 + 100]).isEqualTo(1f);
    }

    @Test
    void fewerTrainingImagesThanABatchIsAnError() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.plain("only");
        ds.index("only", 8, 8, (x, y) -> 0);
        assertThatThrownBy(() -> Datasets.open(data("folder", dir.toString()), training(16, 4, List.of("road"))))
                .isInstanceOf(DatasetException.class)
                .hasMessage("data.folder: 1 training images in " + dir + ", fewer than training.batchSize (4);"
                        + " lower training.batchSize or add images");
    }

    @Test
    void folderSourceWithoutAFolderIsAnError() {
        assertThatThrownBy(() -> Datasets.open(data("folder", ""), training(16, 1, List.of("road"))))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("data.folder: empty");
    }

    private static DataConfig data(String source, String folder) {
        return new DataConfig(source, folder, "auto", "stretch", 0.0, "fail", 50_000_000, 20, 6, 11, true);
    }

    private static TrainingConfig training(int size, int batch, List<String> classes) {
        return new TrainingConfig(size, batch, classes, List.of(), 1, Optimizer.ADAM, 0.001, 42);
    }
}
