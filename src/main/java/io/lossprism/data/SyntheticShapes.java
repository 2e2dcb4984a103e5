package io.lossprism.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The built-in dataset: noisy grey images with up to five kinds of shapes, one class per kind.
 *
 * <p>Classes, in order: disc (red circles), bar (green strips), box (blue squares), ring (yellow
 * annuli) and speck (tiny squares only slightly brighter than the noisy background). Specks cover about
 * 0.1% of the pixels and their cue is faint, so a network learns the other four quickly and the speck
 * class lags far behind: the situation of the seed question, where the aggregate loss looks fine.
 * With fewer classes configured, the first kinds are used.
 *
 * <p>The balanced variant, for checking that alerts stay quiet when nothing is wrong, draws specks as
 * ordinary magenta squares as large and as frequent as boxes, so every class is about equally easy.
 *
 * <p>Every image is a pure function of (seed, split, index): any batch can be regenerated, and the
 * validation split never repeats a training image. Instances hold scratch buffers: one per thread.
 */
public final class SyntheticShapes {

    public static final int CHANNELS = 3;
    public static final int MAX_CLASSES = 5;

    private static final int DISC = 0;
    private static final int BAR = 1;
    private static final int BOX = 2;
    private static final int RING = 3;
    private static final int SPECK = 4;
    private static final float[][] COLOURS = {
        {205, 70, 60}, {70, 185, 85}, {65, 95, 205}, {215, 195, 60}, {200, 70, 200},
    };
    private static final float BACKGROUND = 110;
    private static final float NOISE = 24;
    /** How much brighter than the background a speck is: about the amplitude of the noise. */
    private static final float SPECK_CONTRAST = 30;

    private final int size;
    private final int classes;
    private final long seed;
    private final boolean balanced;
    private final int[] owner;
    private final double[] columnTilt;

    public SyntheticShapes(int imageSize, int classes, long seed) {
        this(imageSize, classes, seed, false);
    }

    public SyntheticShapes(int imageSize, int classes, long seed, boolean balanced) {
        if (imageSize < 16) {
            throw new IllegalArgumentException("imageSize must be at least 16, got " + imageSize);
        }
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("synthetic data has 1 to " + MAX_CLASSES + " classes, got " + classes);
        }
        this.size = imageSize;
        this.classes = classes;
        this.seed = seed;
        this.balanced = balanced;
        this.owner = new int[imageSize * imageSize];
        this.columnTilt = new double[imageSize];
    }

    public int imageSize() {
        return size;
    }

    public int classes() {
        return classes;
    }

    /** Fills every slot of {@code batch} with the images of the given indices. */
    public void fill(Split split, int[] indices, SegmentationBatch batch) {
        if (indices.length != batch.size() || batch.imageSize() != size || batch.classes() != classes) {
            throw new IllegalArgumentException("batch does not match this dataset");
        }
        int pixels = size * size;
        for (int slot = 0; slot < indices.length; slot++) {
            render(
                    split,
                    indices[slot],
                    batch.images(),
                    slot * CHANNELS * pixels,
                    batch.masks(),
                    slot * classes * pixels);
        }
    }

    /** Renders one image (CHW, 0..255) and its masks (one binary plane per class) at the given offsets. */
    public void render(Split split, int index, float[] image, int imageOffset, float[] masks, int maskOffset) {
        SplittableRandom random = new SplittableRandom(mix(seed, split.ordinal(), index));
        Arrays.fill(owner, -1);
        placeShapes(random);
        paint(random, image, imageOffset);
        int pixels = size * size;
        Arrays.fill(masks, maskOffset, maskOffset + classes * pixels, 0f);
        for (int p = 0; p < pixels; p++) {
            if (owner[p] >= 0) {
                masks[maskOffset + owner[p] * pixels + p] = 1f;
            }
        }
    }

    /** Later shapes cover earlier ones; each pixel belongs to at most one class. */
    private void placeShapes(SplittableRandom random) {
        if (classes > BAR) {
            for (int i = random.nextInt(2); i > 0; i--) {
                int thick = scaled(random, 0.06, 0.10);
                int length = scaled(random, 0.45, 0.8);
                boolean horizontal = random.nextBoolean();
                int w = horizontal ? length : thick;
                int h = horizontal ? thick : length;
                fillRect(BAR, random.nextInt(size - w + 1), random.nextInt(size - h + 1), w, h);
            }
        }
        if (classes > BOX) {
            for (int i = random.nextInt(3); i > 0; i--) {
                int side = scaled(random, 0.14, 0.24);
                fillRect(BOX, random.nextInt(size - side + 1), random.nextInt(size - side + 1), side, side);
            }
        }
        for (int i = 1 + random.nextInt(2); i > 0; i--) {
            double r = size * (0.09 + 0.08 * random.nextDouble());
            fillAnnulus(DISC, random.nextDouble() * size, random.nextDouble() * size, 0, r);
        }
        if (classes > RING) {
            for (int i = random.nextInt(2); i > 0; i--) {
                double outer = size * (0.11 + 0.06 * random.nextDouble());
                double inner = outer - Math.max(3, size * 0.06);
                fillAnnulus(RING, random.nextDouble() * size, random.nextDouble() * size, inner, outer);
            }
        }
        if (classes > SPECK && balanced) {
            for (int i = random.nextInt(3); i > 0; i--) {
                int side = scaled(random, 0.14, 0.24);
                fillRect(SPECK, random.nextInt(size - side + 1), random.nextInt(size - side + 1), side, side);
            }
        } else if (classes > SPECK) {
            int side = Math.max(2, size / 32);
            for (int i = random.nextInt(4); i > 0; i--) {
                fillRect(SPECK, random.nextInt(size - side + 1), random.nextInt(size - side + 1), side, side);
            }
        }
    }

    /**
     * Noise drawn per pixel and channel in a fixed order, so that an image depends on (seed, split, index)
     * alone. Written for speed (this runs on the training thread for every batch): the tilt's two terms
     * are computed once per column and row, with the same double arithmetic as per pixel.
     */
    private void paint(SplittableRandom random, float[] image, int offset) {
        int pixels = size * size;
        double tiltX = random.nextDouble(-15, 15);
        double tiltY = random.nextDouble(-15, 15);
        for (int x = 0; x < size; x++) {
            columnTilt[x] = tiltX * (2.0 * x / size - 1);
        }
        int green = offset + pixels;
        int blue = green + pixels;
        for (int y = 0; y < size; y++) {
            double rowTilt = tiltY * (2.0 * y / size - 1);
            for (int x = 0, p = y * size; x < size; x++, p++) {
                float base = (float) (BACKGROUND + columnTilt[x] + rowTilt);
                int cls = owner[p];
                float r;
                float g;
                float b;
                if (cls < 0) {
                    r = base;
                    g = base;
                    b = base;
                } else if (cls == SPECK && !balanced) {
                    r = base + SPECK_CONTRAST;
                    g = r;
                    b = r;
                } else {
                    float[] colour = COLOURS[cls];
                    r = colour[0];
                    g = colour[1];
                    b = colour[2];
                }
                image[offset + p] = noisy(random, r);
                image[green + p] = noisy(random, g);
                image[blue + p] = noisy(random, b);
            }
        }
    }

    /** The value plus uniform noise, clamped to 0..255 (as {@code Math.max(0f, Math.min(255f, v))}, -0 to 0). */
    private static float noisy(SplittableRandom random, float value) {
        float v = value + (float) random.nextDouble(-NOISE, NOISE);
        return v <= 0f ? 0f : Math.min(v, 255f);
    }

    private int scaled(SplittableRandom random, double min, double max) {
        return Math.max(2, (int) Math.round(size * (min + (max - min) * random.nextDouble())));
    }

    private void fillRect(int cls, int x0, int y0, int w, int h) {
        for (int y = y0; y < y0 + h; y++) {
            Arrays.fill(owner, y * size + x0, y * size + x0 + w, cls);
        }
    }

    private void fillAnnulus(int cls, double cx, double cy, double inner, double outer) {
        int yMin = Math.max(0, (int) Math.floor(cy - outer));
        int yMax = Math.min(size - 1, (int) Math.ceil(cy + outer));
        int xMin = Math.max(0, (int) Math.floor(cx - outer));
        int xMax = Math.min(size - 1, (int) Math.ceil(cx + outer));
        for (int y = yMin; y <= yMax; y++) {
            for (int x = xMin; x <= xMax; x++) {
                double d2 = (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy);
                if (d2 <= outer * outer && d2 >= inner * inner) {
                    owner[y * size + x] = cls;
                }
            }
        }
    }

    private static long mix(long seed, int split, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + split * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 29);
    }
}
