package io.lossprism.data;

/** The built-in {@link SyntheticShapes} scenes as a {@link Dataset} with fixed split sizes. */
public final class SyntheticDataset implements Dataset {

    private final SyntheticShapes shapes;
    private final int trainImages;
    private final int validationImages;

    public SyntheticDataset(SyntheticShapes shapes, int trainImages, int validationImages) {
        this.shapes = shapes;
        this.trainImages = trainImages;
        this.validationImages = validationImages;
    }

    @Override
    public int imageSize() {
        return shapes.imageSize();
    }

    @Override
    public int classes() {
        return shapes.classes();
    }

    @Override
    public int size(Split split) {
        return split == Split.TRAIN ? trainImages : validationImages;
    }

    @Override
    public void fill(Split split, int[] indices, SegmentationBatch batch) {
        shapes.fill(split, indices, batch);
    }

    @Override
    public String describe() {
        return "synthetic " + trainImages + " train + " + validationImages + " validation";
    }
}
