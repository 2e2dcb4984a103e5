package io.lossprism.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Resamples a decoded image to the training size as 3 x S x S bytes (CHW). Grey images are read from
 * their samples: {@code getRGB} would pass them through a linear-grey colour space and brighten them
 * (128 becomes 188). Alpha is dropped. The source is read one row at a time and each row is added to
 * the target rows it contributes to, so memory stays at the target's size whatever the source's.
 */
final class RgbFitter {

    static final int CHANNELS = 3;

    private RgbFitter() {}

    static byte[] fit(BufferedImage image, Fit fit) {
        int size = fit.size();
        int pixels = size * size;
        AxisSampling ax = fit.x();
        AxisSampling ay = fit.y();
        RowReader rows = new RowReader(image);
        float[] row = new float[CHANNELS * size];
        float[] sum = new float[CHANNELS * pixels];
        int top = ay.first(0);
        int bottom = ay.last(size - 1);
        int target = 0;
        for (int sy = top; sy <= bottom; sy++) {
            while (target < size && ay.last(target) < sy) {
                target++;
            }
            boolean read = false;
            for (int ty = target; ty < size && ay.first(ty) <= sy; ty++) {
                float wy = ay.weight(ty, sy);
                if (wy == 0f) {
                    continue;
                }
                if (!read) {
                    rows.filterRow(sy, ax, row);
                    read = true;
                }
                for (int ch = 0; ch < CHANNELS; ch++) {
                    int out = ch * pixels + ty * size;
                    int in = ch * size;
                    for (int tx = 0; tx < size; tx++) {
                        sum[out + tx] += wy * row[in + tx];
                    }
                }
            }
        }
        byte[] bytes = new byte[sum.length];
        for (int i = 0; i < sum.length; i++) {
            bytes[i] = (byte) Math.max(0, Math.min(255, Math.round(sum[i])));
        }
        return bytes;
    }

    /** Reads source rows as 0..255 RGB and resamples them horizontally. */
    private static final class RowReader {

        private final BufferedImage image;
        private final Raster raster;
        private final boolean grey;
        private final float greyScale;
        private final int[] buffer;

        RowReader(BufferedImage image) {
            this.image = image;
            this.raster = image.getRaster();
            this.grey = !(image.getColorModel() instanceof IndexColorModel)
                    && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
            this.greyScale = 255f / ((1 << raster.getSampleModel().getSampleSize(0)) - 1);
            this.buffer = new int[image.getWidth()];
        }

        /** Fills {@code out} (3 x target columns) with source row y resampled along x. */
        void filterRow(int y, AxisSampling ax, float[] out) {
            int width = image.getWidth();
            if (grey) {
                raster.getSamples(0, y, width, 1, 0, buffer);
            } else {
                image.getRGB(0, y, width, 1, buffer, 0, width);
            }
            int size = ax.targets();
            for (int tx = 0; tx < size; tx++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int sx = ax.first(tx); sx <= ax.last(tx); sx++) {
                    float w = ax.weight(tx, sx);
                    int v = buffer[sx];
                    if (grey) {
                        float level = v * greyScale;
                        r += w * level;
                        g += w * level;
                        b += w * level;
                    } else {
                        r += w * ((v >> 16) & 0xFF);
                        g += w * ((v >> 8) & 0xFF);
                        b += w * (v & 0xFF);
                    }
                }
                out[tx] = r;
                out[size + tx] = g;
                out[2 * size + tx] = b;
            }
        }
    }
}
