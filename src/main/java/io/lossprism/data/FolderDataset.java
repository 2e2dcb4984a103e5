package io.lossprism.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Your own images and masks from a folder (layout: "Train on your own data" in README.md), loaded and
 * checked in full at construction and held in memory fitted to the training size: 3 bytes per pixel
 * and one bit per pixel and class. {@link #fill} only converts to floats, so it cannot fail on a file
 * and is safe to call from several threads.
 */
public final class FolderDataset implements Dataset {

    private final Path folder;
    private final int size;
    private final int classes;
    private final LoadedImage[] train;
    private final LoadedImage[] validation;
    private final int skippedCount;
    private final List<SkippedFile> skipped;

    FolderDataset(
            Path folder,
            int size,
            int classes,
            List<LoadedImage> train,
            List<LoadedImage> validation,
            int skippedCount,
            List<SkippedFile> skipped) {
        this.folder = folder;
        this.size = size;
        this.classes = classes;
        this.train = train.toArray(LoadedImage[]::new);
        this.validation = validation.toArray(LoadedImage[]::new);
        this.skippedCount = skippedCount;
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Loads every image of {@code folder}/images with its masks, on all cores, logging progress.
     *
     * @param classes the class names, in channel order: binary mask file names, index mask values 1..n
     * @param imageSize side of the square the images and masks are fitted to
     * @param validationFraction share of images held out, chosen by a hash of each file name
     * @param skipBadFiles true leaves bad files out (logged and counted); false throws at the first one
     * @param maxImagePixels images whose header declares more pixels are bad files, never decoded
     * @throws DatasetException for an unusable folder, a bad file (unless skipped) or no training image
     */
    public static FolderDataset load(
            Path folder,
            List<String> classes,
            int imageSize,
            MaskCoding masks,
            Resize resize,
            double validationFraction,
            boolean skipBadFiles,
            long maxImagePixels,
            ProgressListener progress) {
        return new FolderLoader(
                        folder,
                        classes,
                        imageSize,
                        masks,
                        resize,
                        validationFraction,
                        skipBadFiles,
                        maxImagePixels,
                        DecodeMemory.quarterOfHeap(),
                        progress)
                .load();
    }

    @Override
    public int imageSize() {
        return size;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int size(Split split) {
        return samples(split).length;
    }

    /** Images 0..255 as floats, masks 0/1, NCHW. */
    @Override
    public void fill(Split split, int[] indices, SegmentationBatch batch) {
        if (indices.length != batch.size() || batch.imageSize() != size || batch.classes() != classes) {
            throw new IllegalArgumentException("batch does not match this dataset");
        }
        LoadedImage[] samples = samples(split);
        float[] images = batch.images();
        float[] masks = batch.masks();
        int imageFloats = RgbFitter.CHANNELS * size * size;
        int maskFloats = classes * size * size;
        for (int slot = 0; slot < indices.length; slot++) {
            LoadedImage sample = samples[indices[slot]];
            byte[] rgb = sample.rgb();
            int imageOffset = slot * imageFloats;
            for (int i = 0; i < imageFloats; i++) {
                images[imageOffset + i] = rgb[i] & 0xFF;
            }
            long[] bits = sample.mask();
            int maskOffset = slot * maskFloats;
            for (int i = 0; i < maskFloats; i++) {
                masks[maskOffset + i] = MaskFitter.get(bits, i) ? 1f : 0f;
            }
        }
    }

    /** The file name (without extension) of an image, e.g. to label a probe image. */
    public String name(Split split, int index) {
        return samples(split)[index].name();
    }

    @Override
    public int skippedFiles() {
        return skippedCount;
    }

    /** The first {@value FolderLoader#MAX_LISTED} skipped files and why; {@link #skippedFiles()} counts all. */
    @Override
    public List<SkippedFile> skipped() {
        return skipped;
    }

    /** Bytes the stored images and masks take (array contents and headers). */
    public long memoryBytes() {
        long bytes = 0;
        for (LoadedImage sample : train) {
            bytes += sample.memoryBytes();
        }
        for (LoadedImage sample : validation) {
            bytes += sample.memoryBytes();
        }
        return bytes;
    }

    @Override
    public String describe() {
        return "folder " + folder + ": " + train.length + " train + " + validation.length + " validation"
                + (skippedCount > 0 ? ", " + skippedCount + " bad files skipped" : "");
    }

    private LoadedImage[] samples(Split split) {
        return split == Split.TRAIN ? train : validation;
    }
}
