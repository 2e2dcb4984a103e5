package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntheticShapesTest {

    private static final int SIZE = 64;
    private static final int CLASSES = 5;

    @Test
    void sameSeedSplitAndIndexGiveTheSameImage() {
        SegmentationBatch a = batch(new SyntheticShapes(SIZE, CLASSES, 7), Split.TRAIN, 0, 1, 2);
        SegmentationBatch b = batch(new SyntheticShapes(SIZE, CLASSES, 7), Split.TRAIN, 0, 1, 2);
        assertThat(a.images()).containsExactly(b.images());
        assertThat(a.masks()).containsExactly(b.masks());
    }

    @Test
    void validationImagesDifferFromTrainingImagesWithTheSameIndex() {
        SyntheticShapes data = new SyntheticShapes(SIZE, CLASSES, 7);
        SegmentationBatch train = batch(data, Split.TRAIN, 3);
        SegmentationBatch validation = batch(data, Split.VALIDATION, 3);
        assertThat(train.images()).isNotEqualTo(validation.images());
    }

    @Test
    void everyPixelHasAtMostOneClassAndImagesStayInByteRange() {
        SegmentationBatch b = batch(new SyntheticShapes(SIZE, CLASSES, 1), Split.TRAIN, 0, 1, 2, 3, 4, 5, 6, 7);
        int pixels = SIZE * SIZE;
        for (int n = 0; n < b.size(); n++) {
            for (int p = 0; p < pixels; p++) {
                float sum = 0;
                for (int c = 0; c < CLASSES; c++) {
                    float v = b.masks()[(n * CLASSES + c) * pixels + p];
                    assertThat(v).isIn(0f, 1f);
                    sum += v;
                }
                assertThat(sum).isLessThanOrEqualTo(1f);
            }
        }
        for (float v : b.images()) {
            assertThat(v).isBetween(0f, 255f);
        }
    }

    /** The seed's situation needs one rare class (under 1% of pixels) and four common ones. */
    @Test
    void lastClassIsRareAndTheOthersAreNot() {
        int images = 200;
        int[] indices = new int[images];
        for (int i = 0; i < images; i++) {
            indices[i] = i;
        }
        SegmentationBatch b = SegmentationBatch.allocate(images, SIZE, CLASSES);
        new SyntheticShapes(SIZE, CLASSES, 7).fill(Split.TRAIN, indices, b);
        double[] prevalence = new double[CLASSES];
        int pixels = SIZE * SIZE;
        for (int n = 0; n < images; n++) {
            for (int c = 0; c < CLASSES; c++) {
                for (int p = 0; p < pixels; p++) {
                    prevalence[c] += b.masks()[(n * CLASSES + c) * pixels + p];
                }
            }
        }
        for (int c = 0; c < CLASSES; c++) {
            prevalence[c] /= (double) images * pixels;
        }
        assertThat(prevalence[4]).isBetween(0.0002, 0.01);
        for (int c = 0; c < 4; c++) {
            assertThat(prevalence[c]).as("class %d", c).isGreaterThan(0.01);
        }
    }

    private static SegmentationBatch batch(SyntheticShapes data, Split split, int... indices) {
        SegmentationBatch b = SegmentationBatch.allocate(indices.length, SIZE, CLASSES);
        data.fill(split, indices, b);
        return b;
    }
}
