package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    /**
     * The images and masks, bit for bit, as the drawing made them on 2026-12-01 before it was rewritten for
     * speed: runs, alert examples and tests elsewhere depend on this exact data, so a faster drawing must
     * not change it. SHA-256 of the float bits (big-endian) of images then masks, training then validation,
     * indices 0, 1, 2 and 97, seed 7.
     */
    @ParameterizedTest
    @CsvSource({
        "16, false, 5, c1f0d3c0ba7bdbc050fe8694acede9386edfc6faeb871b22976546b59b0f6029",
        "16, true, 5, 4b025942e7831ba4ef2c4c4dfb0b00496148f149649be1fe485bd1731dd94f8f",
        "64, false, 5, 3346169a07819b290cb8d058dcaf63317c619b7d6c5d2a9f9c60ce0f7646048f",
        "64, false, 3, bf620419dc695823bcc8628fa8c5f09f0c157ad46b53604c7794751fcf957df3",
        "64, true, 5, 2f70905bc98095c8a65be80b9e8e05e9291521e0323d9a76b9a60f85be40b904",
        "128, false, 5, ec3e37800b6d14f1dddfdaec7e2d87f3a6f2cc4ecece2e8684a13e4600aacccd",
        "128, true, 5, 9f30d7855866b8b33c06f61f5dcb059d987f1dc14209f9b7316d9659717037af",
    })
    void drawsTheSameDataAsBefore(int size, boolean balanced, int classes, String sha256)
            throws NoSuchAlgorithmException {
        SyntheticShapes data = new SyntheticShapes(size, classes, 7, balanced);
        SegmentationBatch b = SegmentationBatch.allocate(4, size, classes);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (Split split : Split.values()) {
            data.fill(split, new int[] {0, 1, 2, 97}, b);
            ByteBuffer bytes = ByteBuffer.allocate((b.images().length + b.masks().length) * Float.BYTES);
            for (float value : b.images()) {
                bytes.putFloat(value);
            }
            for (float value : b.masks()) {
                bytes.putFloat(value);
            }
            digest.update(bytes.array());
        }
        assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256);
    }

    private static SegmentationBatch batch(SyntheticShapes data, Split split, int... indices) {
        SegmentationBatch b = SegmentationBatch.allocate(indices.length, SIZE, CLASSES);
        data.fill(split, indices, b);
        return b;
    }
}
