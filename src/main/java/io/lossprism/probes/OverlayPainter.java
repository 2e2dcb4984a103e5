package io.lossprism.probes;

import java.awt.image.BufferedImage;
import java.util.function.IntPredicate;

/**
 * Paints square images of one size: an input image (three channels, CHW, values 0..255) as a PNG,
 * and one class's outcome per pixel as an RGBA PNG overlay with its TP/FP/FN counts.
 *
 * <p>Colours are the Okabe-Ito palette, which stays distinguishable with the common colour-vision
 * deficiencies. Overlay pixels are fully opaque or fully transparent: the dashboard chooses how much of
 * the image shows through (CSS opacity), which a translucent PNG would fix in advance.
 *
 * <p>A truth pixel is positive when its mask value is at least 0.5, a predicted pixel when its
 * probability exceeds the threshold: the same rules as the loss decomposition's counts.
 */
public final class OverlayPainter {

    /** True positive: bluish green, 0xRRGGBB. */
    public static final int TP_COLOUR = 0x009E73;
    /** False positive: orange. */
    public static final int FP_COLOUR = 0xE69F00;
    /** False negative: reddish purple. */
    public static final int FN_COLOUR = 0xCC79A7;

    private static final int CHANNELS = 3;
    private static final int OPAQUE = 0xFF000000;
    private static final int TRANSPARENT = 0;

    private final int size;
    private final double threshold;

    public OverlayPainter(int size, double threshold) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must lie in [0, 1], got " + threshold);
        }
        this.size = size;
        this.threshold = threshold;
    }

    public int size() {
        return size;
    }

    public double threshold() {
        return threshold;
    }

    /** The RGB image whose three planes start at {@code offset} in {@code chw}; values rounded and clamped. */
    public byte[] image(float[] chw, int offset) {
        int pixels = size * size;
        requireRange(chw.length, offset, CHANNELS * pixels, "image");
        int[] rgb = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            int r = channel(chw[offset + p]);
            int g = channel(chw[offset + pixels + p]);
            int b = channel(chw[offset + 2 * pixels + p]);
            rgb[p] = r << 16 | g << 8 | b;
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, size, size, rgb, 0, size);
        return Png.encode(image);
    }

    /** The overlay of a class whose mask plane starts at {@code maskOffset}, predicted by probabilities. */
    public ClassOverlay overlay(
            String name, float[] mask, int maskOffset, float[] probabilities, int probabilityOffset) {
        requireRange(probabilities.length, probabilityOffset, size * size, "probabilities");
        return paint(name, mask, maskOffset, p -> probabilities[probabilityOffset + p] > threshold);
    }

    /** The overlay of a class whose mask plane starts at {@code maskOffset}, given the predicted pixels. */
    public ClassOverlay overlay(String name, float[] mask, int maskOffset, boolean[] predicted, int predictedOffset) {
        requireRange(predicted.length, predictedOffset, size * size, "prediction");
        return paint(name, mask, maskOffset, p -> predicted[predictedOffset + p]);
    }

    private ClassOverlay paint(String name, float[] mask, int maskOffset, IntPredicate predictedAt) {
        int pixels = size * size;
        requireRange(mask.length, maskOffset, pixels, "mask");
        int[] argb = new int[pixels];
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int p = 0; p < pixels; p++) {
            boolean truth = mask[maskOffset + p] >= 0.5f;
            boolean predicted = predictedAt.test(p);
            if (truth && predicted) {
                argb[p] = OPAQUE | TP_COLOUR;
                tp++;
            } else if (predicted) {
                argb[p] = OPAQUE | FP_COLOUR;
                fp++;
            } else if (truth) {
                argb[p] = OPAQUE | FN_COLOUR;
                fn++;
            } else {
                argb[p] = TRANSPARENT;
            }
        }
        BufferedImage overlay = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        overlay.setRGB(0, 0, size, size, argb, 0, size);
        return new ClassOverlay(name, Png.encode(overlay), tp, fp, fn);
    }

    private static int channel(float value) {
        // NaN clamps to 0 rather than failing a picture of a broken input
        return Math.max(0, Math.min(255, Math.round(value)));
    }

    private static void requireRange(int available, int offset, int length, String what) {
        if (offset < 0 || offset > available - length) {
            throw new IllegalArgumentException(
                    what + " of " + length + " values at " + offset + " does not fit in " + available);
        }
    }
}
