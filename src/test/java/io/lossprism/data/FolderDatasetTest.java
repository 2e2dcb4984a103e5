package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetTest {

    private static final List<String> TWO = List.of("road", "car");

    @TempDir
    java.nio.file.Path dir;

    /** A hand-made 2x2 image with both classes, checked float by float in NCHW order. */
    @Test
    void fillWritesImagesAsBytesAndMasksAsZeroOrOneInNchwOrder() {
        DatasetFolder ds = new DatasetFolder(dir);
        int[] colours = {0x0A141E, 0x28323C, 0x46505A, 0x646E78}; // (10,20,30) (40,50,60) / (70,80,90) (100,110,120)
        ds.rgb("a.png", 2, 2, (x, y) -> colours[y * 2 + x]);
        ds.binary("a", "road", 2, 2, (x, y) -> y == 1); // bottom row
        ds.binary("a", "car", 2, 2, (x, y) -> x == 1 && y == 0); // top right
        ds.rgb("b.png", 2, 2, (x, y) -> 0xFFFFFF);
        ds.index("b", 2, 2, (x, y) -> x == 0 ? 2 : 0); // left column is car

        FolderDataset data = load(ds, TWO, 2, MaskCoding.AUTO, Resize.STRETCH);
        assertThat(data.size(Split.TRAIN)).isEqualTo(2);
        assertThat(data.name(Split.TRAIN, 0)).isEqualTo("a");
        SegmentationBatch batch = SegmentationBatch.allocate(2, 2, 2);
        data.fill(Split.TRAIN, new int[] {1, 0}, batch);

        assertThat(batch.images())
                .containsExactly(
                        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, // b: R, G, B planes
                        10, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120); // a
        assertThat(batch.masks())
                .containsExactly(
                        0, 0, 0, 0, 1, 0, 1, 0, // b: road none, car left column
                        0, 0, 1, 1, 0, 1, 0, 0); // a: road bottom row, car top right
    }

    @Test
    void binaryMasksMayOverlapBecauseEachClassIsItsOwnSigmoid() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.rgb("a.png", 4, 4, (x, y) -> 0);
        ds.binary("a", "road", 4, 4, (x, y) -> true);
        ds.binary("a", "car", 4, 4, (x, y) -> x == 2 && y == 3);
        float[] masks =
                fill(load(ds, TWO, 4, MaskCoding.BINARY, Resize.STRETCH), 0).masks();
        for (int p = 0; p < 16; p++) {
            assertThat(masks[p]).isEqualTo(1f);
            assertThat(masks[16 + p]).isEqualTo(p == 3 * 4 + 2 ? 1f : 0f);
        }
    }

    @Test
    void binaryMasksCountPixelsAbove127AsPositiveAndPaletteOrOneBitMasksAnyNonZeroIndex() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.rgb("a.png", 3, 1, (x, y) -> 0);
        ds.write(DatasetFolder.grey(3, 1, (x, y) -> new int[] {127, 128, 255}[x]), ds.masks.resolve("a/road.png"));
        BufferedImage oneBit = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
        oneBit.getRaster().setSample(0, 0, 0, 1);
        ds.write(oneBit, ds.masks.resolve("a/car.png"));
        float[] masks =
                fill(load(ds, TWO, 3, MaskCoding.BINARY, Resize.STRETCH), 0).masks();
        // imageSize 3 on a 3x1 image: rows are stretched, columns kept
        assertThat(masks[0]).isZero();
        assertThat(masks[1]).isEqualTo(1f);
        assertThat(masks[2]).isEqualTo(1f);
        assertThat(masks[9]).isEqualTo(1f);
        assertThat(masks[10]).isZero();
    }

    @Test
    void autoTakesTheBinaryFolderWhenBothExistAndTheIndexMaskOtherwise() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.rgb("both.png", 2, 2, (x, y) -> 0);
        ds.binary("both", "road", 2, 2, (x, y) -> true);
        ds.binary("both", "car", 2, 2, (x, y) -> false);
        ds.index("both", 2, 2, (x, y) -> 2); // would say car everywhere
        ds.rgb("indexed.png", 2, 2, (x, y) -> 0);
        ds.index("indexed", 2, 2, (x, y) -> 2);
        FolderDataset data = load(ds, TWO, 2, MaskCoding.AUTO, Resize.STRETCH);
        assertThat(fill(data, 0).masks()).containsExactly(1, 1, 1, 1, 0, 0, 0, 0);
        assertThat(fill(data, 1).masks()).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
    }

    @Test
    void anExplicitCodingIgnoresTheOtherKindOfMask() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.rgb("a.png", 2, 2, (x, y) -> 0);
        ds.emptyBinary("a", TWO, 2, 2);
        ds.index("a", 2, 2, (x, y) -> 1);
        assertThat(fill(load(ds, TWO, 2, MaskCoding.INDEX, Resize.STRETCH), 0).masks())
                .containsExactly(1, 1, 1, 1, 0, 0, 0, 0);
        assertThat(fill(load(ds, TWO, 2, MaskCoding.BINARY, Resize.STRETCH), 0).masks())
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * A 64x32 image of four 16-pixel stripes (red, green, blue, white) with the blue stripe as mask,
     * fitted to 16: stretch keeps all four stripes 4 pixels wide, crop keeps green and blue 8 wide.
     */
    @Test
    void stretchScalesBothSidesAndCropCutsTheCentreSquare() {
        DatasetFolder ds = new DatasetFolder(dir);
        int[] stripes = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF};
        ds.rgb("s.png", 64, 32, (x, y) -> stripes[x / 16]);
        ds.binary("s", "road", 64, 32, (x, y) -> x / 16 == 2);
        ds.binary("s", "car", 64, 32, (x, y) -> x == 0 && y == 0); // only in the stretched view

        SegmentationBatch stretched = fill(load(ds, TWO, 16, MaskCoding.BINARY, Resize.STRETCH), 0);
        for (int x = 0; x < 16; x++) {
            int colour = stripes[x / 4];
            for (int y = 0; y < 16; y++) {
                assertThat(rgb(stretched, 16, x, y))
                        .as("stretched (%d, %d)", x, y)
                        .isEqualTo(colour);
                assertThat(stretched.masks()[y * 16 + x]).isEqualTo(x / 4 == 2 ? 1f : 0f);
            }
        }

        SegmentationBatch cropped = fill(load(ds, TWO, 16, MaskCoding.BINARY, Resize.CROP), 0);
        for (int x = 0; x < 16; x++) {
            int colour = stripes[1 + x / 8];
            for (int y = 0; y < 16; y++) {
                assertThat(rgb(cropped, 16, x, y)).as("cropped (%d, %d)", x, y).isEqualTo(colour);
                assertThat(cropped.masks()[y * 16 + x]).isEqualTo(x >= 8 ? 1f : 0f);
                assertThat(cropped.masks()[256 + y * 16 + x]).isZero();
            }
        }
    }

    /** A shrunk image is averaged; its mask is sampled, never averaged, so it stays 0/1. */
    @Test
    void shrinkingAveragesTheImageButKeepsTheMaskBinary() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.rgb("c.png", 32, 32, (x, y) -> (x + y) % 2 == 0 ? 0xFFFFFF : 0x000000); // checkerboard
        ds.binary("c", "road", 32, 32, (x, y) -> (x + y) % 2 == 0);
        ds.emptyBinary("c", List.of("car"), 32, 32);
        SegmentationBatch batch = fill(load(ds, TWO, 16, MaskCoding.BINARY, Resize.STRETCH), 0);
        for (int i = 0; i < 3 * 256; i++) {
            assertThat(batch.images()[i]).isCloseTo(127.5f, within(0.6f));
        }
        for (float v : batch.masks()) {
            assertThat(v).isIn(0f, 1f);
        }
        // each target pixel's centre falls in source pixel (2x + 1, 2y + 1): x + y even there too
        assertThat(batch.masks()[0]).isEqualTo(1f);
    }

    /** One white column in four, shrunk by four: each target pixel is the footprint's mean, not a sample between columns. */
    @Test
    void shrinkingAveragesTheWholeFootprintSoThinLinesDoNotVanish() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.rgb("lines.png", 64, 16, (x, y) -> x % 4 == 0 ? 0xFFFFFF : 0x000000);
        ds.emptyBinary("lines", TWO, 64, 16);
        SegmentationBatch batch = fill(load(ds, TWO, 16, MaskCoding.BINARY, Resize.STRETCH), 0);
        for (int x = 0; x < 16; x++) {
            assertThat(batch.images()[5 * 16 + x]).as("x %d", x).isEqualTo(64f); // 255 / 4, rounded
        }
    }

    @Test
    void enlargingInterpolatesTheImageAndRepeatsMaskPixels() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.rgb("u.png", 2, 2, (x, y) -> x == 0 ? 0x000000 : 0xC8C8C8); // 0 | 200
        ds.binary("u", "road", 2, 2, (x, y) -> x == 1 && y == 1);
        ds.emptyBinary("u", List.of("car"), 2, 2);
        SegmentationBatch batch = fill(load(ds, TWO, 8, MaskCoding.BINARY, Resize.STRETCH), 0);
        float[] red = java.util.Arrays.copyOf(batch.images(), 8); // first row
        // centres at -0.25, 0.0, 0.25, ... source units: clamped, then a linear ramp, then clamped
        assertThat(red).containsExactly(0, 0, 25, 75, 125, 175, 200, 200);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertThat(batch.masks()[y * 8 + x]).isEqualTo(x >= 4 && y >= 4 ? 1f : 0f);
            }
        }
    }

    @Test
    void greyAndTranslucentImagesBecomeRgbWithTheirOwnValues() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.write(DatasetFolder.grey(2, 2, (x, y) -> 128), ds.images.resolve("grey.png"));
        BufferedImage grey16 = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
        for (int p = 0; p < 4; p++) {
            grey16.getRaster().setSample(p % 2, p / 2, 0, 0xFFFF);
        }
        ds.write(grey16, ds.images.resolve("grey16.png"));
        BufferedImage alpha = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        for (int p = 0; p < 4; p++) {
            alpha.setRGB(p % 2, p / 2, 0x40_1E_28_32); // (30, 40, 50) at alpha 64
        }
        ds.write(alpha, ds.images.resolve("translucent.png"));
        for (String name : List.of("grey", "grey16", "translucent")) {
            ds.emptyBinary(name, TWO, 2, 2);
        }
        FolderDataset data = load(ds, TWO, 2, MaskCoding.BINARY, Resize.STRETCH);
        assertThat(rgb(fill(data, 0), 2, 1, 1)).isEqualTo(0x808080); // not 188: no linear-grey conversion
        assertThat(rgb(fill(data, 1), 2, 1, 1)).isEqualTo(0xFFFFFF);
        assertThat(rgb(fill(data, 2), 2, 1, 1)).isEqualTo(0x1E2832);
    }

    @Test
    void jpegImagesLoadToo() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.rgb("photo.jpg", 16, 16, (x, y) -> 0x3264C8);
        ds.index("photo", 16, 16, (x, y) -> 1);
        ds.rgb("other.JPEG", 16, 16, (x, y) -> 0);
        ds.index("other", 16, 16, (x, y) -> 0);
        FolderDataset data = load(ds, TWO, 16, MaskCoding.INDEX, Resize.STRETCH);
        assertThat(data.size(Split.TRAIN)).isEqualTo(2);
        SegmentationBatch batch = fill(data, 1);
        assertThat(data.name(Split.TRAIN, 1)).isEqualTo("photo");
        assertThat(batch.images()[8 * 16 + 8]).isCloseTo(50f, within(6f)); // lossy
        assertThat(batch.images()[2 * 256 + 8 * 16 + 8]).isCloseTo(200f, within(6f));
    }

    @Test
    void otherFilesInImagesAreIgnored() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.plain("a");
        ds.emptyBinary("a", TWO, 8, 8);
        ds.bytes(ds.images.resolve("README.txt"), "not an image".getBytes());
        ds.bytes(ds.images.resolve(".DS_Store"), new byte[] {1, 2, 3});
        FolderDataset data = load(ds, TWO, 8, MaskCoding.AUTO, Resize.STRETCH);
        assertThat(data.size(Split.TRAIN)).isEqualTo(1);
        assertThat(data.skippedFiles()).isZero();
    }

    @Test
    void describeAndMemoryReportTheLoadedImages() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.plain("a");
        ds.emptyBinary("a", TWO, 8, 8);
        FolderDataset data = load(ds, TWO, 64, MaskCoding.AUTO, Resize.STRETCH);
        assertThat(data.describe()).isEqualTo("folder " + dir + ": 1 train + 0 validation");
        // 3 x 64 x 64 bytes of image, 2 x 64 x 64 bits of mask (128 longs), two array headers
        assertThat(data.memoryBytes()).isEqualTo(3 * 4096 + 1024 + 32);
        assertThat(data.imageSize()).isEqualTo(64);
        assertThat(data.classes()).isEqualTo(2);
    }

    @Test
    void aBatchOfTheWrongShapeIsRefused() {
        DatasetFolder ds = new DatasetFolder(dir);
        ds.plain("a");
        ds.emptyBinary("a", TWO, 8, 8);
        FolderDataset data = load(ds, TWO, 8, MaskCoding.AUTO, Resize.STRETCH);
        assertThatThrownBy(() -> data.fill(Split.TRAIN, new int[] {0}, SegmentationBatch.allocate(1, 16, 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static FolderDataset load(DatasetFolder ds, List<String> classes, int size, MaskCoding masks, Resize resize) {
        return FolderDataset.load(ds.root, classes, size, masks, resize, 0.0, false, 50_000_000, ProgressListener.NONE);
    }

    static SegmentationBatch fill(Dataset data, int index) {
        SegmentationBatch batch = SegmentationBatch.allocate(1, data.imageSize(), data.classes());
        data.fill(Split.TRAIN, new int[] {index}, batch);
        return batch;
    }

    /** Pixel (x, y) of the first image of the batch as 0xRRGGBB, each channel rounded. */
    static int rgb(SegmentationBatch batch, int size, int x, int y) {
        int pixels = size * size;
        int p = y * size + x;
        int r = Math.round(batch.images()[p]);
        int g = Math.round(batch.images()[pixels + p]);
        int b = Math.round(batch.images()[2 * pixels + p]);
        return r << 16 | g << 8 | b;
    }
}
