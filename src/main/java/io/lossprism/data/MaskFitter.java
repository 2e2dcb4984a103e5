package io.lossprism.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;

/**
 * Reads decoded masks into per-class bit planes at the training size (bit {@code c * S * S + p} is
 * pixel p of class c), each target pixel taken from the source pixel its centre falls in (nearest
 * neighbour), so masks stay 0/1.
 */
final class MaskFitter {

    private MaskFitter() {}

    /** Bits for {@code classes} planes of S x S pixels. */
    static long[] allocate(int classes, int size) {
        return new long[(int) (((long) classes * size * size + 63) / 64)];
    }

    static boolean get(long[] bits, int index) {
        return (bits[index >>> 6] & (1L << index)) != 0;
    }

    private static void set(long[] bits, int index) {
        bits[index >>> 6] |= 1L << index;
    }

    /**
     * One class of a binary mask: a pixel is positive when its palette index is above 0, or its value
     * above half the sample range (> 127 for 8 bits, > 0 for 1 bit); of colour masks the brightest
     * colour channel counts, alpha never.
     */
    static void binary(BufferedImage mask, Fit fit, int plane, long[] bits) {
        Raster raster = mask.getRaster();
        boolean indexed = mask.getColorModel() instanceof IndexColorModel;
        int colours = indexed ? 1 : mask.getColorModel().getNumColorComponents();
        int threshold = indexed ? 0 : ((1 << raster.getSampleModel().getSampleSize(0)) - 1) / 2;
        int size = fit.size();
        int offset = plane * size * size;
        for (int ty = 0; ty < size; ty++) {
            int sy = fit.y().nearest(ty);
            for (int tx = 0; tx < size; tx++) {
                int sx = fit.x().nearest(tx);
                int value = 0;
                for (int band = 0; band < colours; band++) {
                    value = Math.max(value, raster.getSample(sx, sy, band));
                }
                if (value > threshold) {
                    set(bits, offset + ty * size + tx);
                }
            }
        }
    }

    /**
     * An index mask: value k (grey level or palette index) marks class k, 1-based; 0 is background.
     * Every source pixel is checked, not only the sampled ones, so a bad value is never silently lost.
     *
     * @throws DatasetException for a colour mask or a value above the class count
     */
    static void index(Path path, BufferedImage mask, Fit fit, int classes, long[] bits) {
        if (!(mask.getColorModel() instanceof IndexColorModel)
                && mask.getColorModel().getNumColorComponents() != 1) {
            throw new DatasetException(
                    path,
                    "an index mask must be greyscale or palette (one value per pixel)," + " this one has "
                            + mask.getColorModel().getNumColorComponents() + " colour channels");
        }
        Raster raster = mask.getRaster();
        int width = mask.getWidth();
        int[] row = new int[width];
        for (int y = 0; y < mask.getHeight(); y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                if (row[x] > classes) {
                    throw new DatasetException(
                            path,
                            "value " + row[x] + " at (" + x + ", " + y + ") but there are only " + classes
                                    + " classes (training.classes; 0 = background, k = class k)");
                }
            }
        }
        int size = fit.size();
        int pixels = size * size;
        for (int ty = 0; ty < size; ty++) {
            int sy = fit.y().nearest(ty);
            for (int tx = 0; tx < size; tx++) {
                int value = raster.getSample(fit.x().nearest(tx), sy, 0);
                if (value > 0) {
                    set(bits, (value - 1) * pixels + ty * size + tx);
                }
            }
        }
    }
}
