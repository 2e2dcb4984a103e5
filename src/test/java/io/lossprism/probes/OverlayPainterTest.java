package io.lossprism.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class OverlayPainterTest {

    private static final int TP = 0xFF009E73;
    private static final int FP = 0xFFE69F00;
    private static final int FN = 0xFFCC79A7;

    // 4x4, row-major: a 2x2 object top left and one pixel bottom right
    private static final float[] MASK = {
        1, 1, 0, 0,
        1, 1, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 1,
    };
    // TP TP FP TN / FN TP TN(0.5 is not above the threshold) TN / TN... / ... FN
    private static final float[] PROBABILITIES = {
        0.9f, 0.6f, 0.7f, 0.1f,
        0.2f, 0.51f, 0.5f, 0.0f,
        0.0f, 0.0f, 0.0f, 0.0f,
        0.0f, 0.0f, 0.0f, 0.4f,
    };

    private final OverlayPainter painter = new OverlayPainter(4, 0.5);

    @Test
    void overlayColoursEachPixelByItsOutcomeAndLeavesTrueNegativesTransparent() throws IOException {
        ClassOverlay overlay = painter.overlay("disc", MASK, 0, PROBABILITIES, 0);

        BufferedImage png = decode(overlay.overlayPng());
        assertThat(png.getWidth()).isEqualTo(4);
        assertThat(png.getHeight()).isEqualTo(4);
        assertThat(png.getColorModel().hasAlpha()).isTrue();
        int[][] expected = {
            {TP, TP, FP, 0},
            {FN, TP, 0, 0},
            {0, 0, 0, 0},
            {0, 0, 0, FN},
        };
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int argb = png.getRGB(x, y);
                if (expected[y][x] == 0) {
                    assertThat(argb >>> 24).as("alpha at %d,%d", x, y).isZero();
                } else {
                    assertThat(Integer.toHexString(argb))
                            .as("pixel %d,%d", x, y)
                            .isEqualTo(Integer.toHexString(expected[y][x]));
                }
            }
        }
    }

    @Test
    void countsAndIouOfTheHandExample() {
        ClassOverlay overlay = painter.overlay("disc", MASK, 0, PROBABILITIES, 0);
        assertThat(overlay.name()).isEqualTo("disc");
        assertThat(overlay.tp()).isEqualTo(3);
        assertThat(overlay.fp()).isEqualTo(1);
        assertThat(overlay.fn()).isEqualTo(2);
        assertThat(overlay.iou()).isEqualTo(0.5);
    }

    @Test
    void booleanPredictionPaintsTheSameAsProbabilities() {
        boolean[] predicted = new boolean[PROBABILITIES.length];
        for (int p = 0; p < predicted.length; p++) {
            predicted[p] = PROBABILITIES[p] > 0.5f;
        }
        ClassOverlay fromProbabilities = painter.overlay("disc", MASK, 0, PROBABILITIES, 0);
        ClassOverlay fromBooleans = painter.overlay("disc", MASK, 0, predicted, 0);
        assertThat(fromBooleans.overlayPng()).isEqualTo(fromProbabilities.overlayPng());
        assertThat(fromBooleans.tp()).isEqualTo(3);
        assertThat(fromBooleans.fp()).isEqualTo(1);
        assertThat(fromBooleans.fn()).isEqualTo(2);
    }

    @Test
    void thresholdDecidesWhatIsPredicted() {
        ClassOverlay strict = new OverlayPainter(4, 0.8).overlay("disc", MASK, 0, PROBABILITIES, 0);
        // only 0.9 is above 0.8: one TP, the other four positives missed
        assertThat(strict.tp()).isEqualTo(1);
        assertThat(strict.fp()).isZero();
        assertThat(strict.fn()).isEqualTo(4);
    }

    @Test
    void classAbsentFromTruthAndPredictionHasNoIouAndAFullyTransparentOverlay() throws IOException {
        ClassOverlay empty = painter.overlay("speck", new float[16], 0, new float[16], 0);
        assertThat(empty.tp() + empty.fp() + empty.fn()).isZero();
        assertThat(empty.iou()).isNaN();
        BufferedImage png = decode(empty.overlayPng());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertThat(png.getRGB(x, y) >>> 24).isZero();
            }
        }
    }

    @Test
    void readsThePlanesAtTheGivenOffsets() {
        float[] masks = new float[32];
        float[] probabilities = new float[32];
        System.arraycopy(MASK, 0, masks, 16, 16);
        System.arraycopy(PROBABILITIES, 0, probabilities, 16, 16);
        ClassOverlay second = painter.overlay("bar", masks, 16, probabilities, 16);
        assertThat(second.tp()).isEqualTo(3);
        assertThat(second.fn()).isEqualTo(2);
        ClassOverlay first = painter.overlay("disc", masks, 0, probabilities, 0);
        assertThat(first.tp() + first.fp() + first.fn()).isZero();
    }

    @Test
    void inputImageIsTheChwPlanesRoundedAndClamped() throws IOException {
        float[] chw = new float[3 * 16];
        chw[0] = 300; // red plane, pixel (0,0): clamped to 255
        chw[16] = 127.6f; // green plane: rounded to 128
        chw[32 + 0] = -5; // blue plane: clamped to 0
        chw[5] = 10; // pixel (1,1)
        chw[16 + 5] = 20;
        chw[32 + 5] = 30;

        BufferedImage png = decode(painter.image(chw, 0));
        assertThat(png.getWidth()).isEqualTo(4);
        assertThat(png.getHeight()).isEqualTo(4);
        assertThat(png.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF8000);
        assertThat(png.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0x0A141E);
        assertThat(png.getRGB(3, 3) & 0xFFFFFF).isZero();
    }

    @Test
    void refusesPlanesThatDoNotFit() {
        assertThatThrownBy(() -> painter.overlay("disc", MASK, 1, PROBABILITIES, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mask");
        assertThatThrownBy(() -> painter.overlay("disc", MASK, 0, new float[15], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probabilities");
        assertThatThrownBy(() -> painter.image(new float[47], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image");
        assertThatThrownBy(() -> new OverlayPainter(4, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsDoNotShareTheirBytes() {
        ClassOverlay overlay = painter.overlay("disc", MASK, 0, PROBABILITIES, 0);
        byte[] bytes = overlay.overlayPng();
        byte[] original = bytes.clone();
        bytes[0] ^= 0x7F;
        assertThat(overlay.overlayPng()).isEqualTo(original);
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        return image;
    }
}
