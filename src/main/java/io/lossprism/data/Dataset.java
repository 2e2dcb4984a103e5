package io.lossprism.data;

import java.util.List;

/**
 * Images with one binary mask per class, in two splits, served as batches. Implementations load or
 * generate everything at construction, so {@link #fill} never fails on a bad file: bad files are
 * found (and refused or skipped) up front.
 */
public interface Dataset {

    /** Side of the square images, in pixels. */
    int imageSize();

    /** Mask channels per image. */
    int classes();

    /** Images in the split. */
    int size(Split split);

    /** Fills every slot of {@code batch} with the images of the given indices (0-based within the split). */
    void fill(Split split, int[] indices, SegmentationBatch batch);

    /** Files left out because they were unreadable or inconsistent (always 0 for generated data). */
    default int skippedFiles() {
        return 0;
    }

    /** The first skipped files and why, for a status page; {@link #skippedFiles()} counts them all. */
    default List<SkippedFile> skipped() {
        return List.of();
    }

    /** One line for the log, e.g. "synthetic 512 train + 64 validation". */
    String describe();
}
