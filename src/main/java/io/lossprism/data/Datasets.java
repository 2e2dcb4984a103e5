package io.lossprism.data;

import io.lossprism.config.DataConfig;
import io.lossprism.config.TrainingConfig;
import java.nio.file.Path;

/** Opens the dataset the configuration names: generated scenes or a folder of your own images. */
public final class Datasets {

    private Datasets() {}

    /**
     * @throws DatasetException when the folder cannot be used, a file is bad (with onBadFile fail), or
     *         there are fewer training images than one batch
     */
    public static Dataset open(DataConfig data, TrainingConfig training) {
        if (data.synthetic()) {
            SyntheticShapes shapes =
                    new SyntheticShapes(training.imageSize(), training.classCount(), data.seed(), data.balanced());
            return new SyntheticDataset(shapes, data.trainImages(), data.validationImages());
        }
        if (data.folder().isEmpty()) {
            throw new DatasetException("data.folder: empty; name the dataset folder when data.source is folder");
        }
        FolderDataset dataset = FolderDataset.load(
                Path.of(data.folder()),
                training.classes(),
                training.imageSize(),
                MaskCoding.parse(data.masks()),
                Resize.parse(data.resize()),
                data.validationFraction(),
                data.skipBadFiles(),
                data.maxImagePixels(),
                ProgressListener.log());
        int trainImages = dataset.size(Split.TRAIN);
        if (trainImages < training.batchSize()) {
            // an epoch is trainImages / batchSize iterations: fewer images than a batch would never train
            throw new DatasetException("data.folder: " + trainImages + " training images in " + data.folder()
                    + ", fewer than training.batchSize (" + training.batchSize() + "); lower training.batchSize or"
                    + " add images");
        }
        return dataset;
    }
}
