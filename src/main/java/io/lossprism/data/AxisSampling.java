package io.lossprism.data;

/**
 * How the target pixels of one axis sample a span of source pixels: which source pixel a target
 * pixel's centre falls in (nearest neighbour, for masks), and the weights of the source pixels that
 * make up its value (for images): the average over its footprint when shrinking, so no detail aliases,
 * linear interpolation between the two nearest centres when enlarging. Both use the same geometry, so
 * an image and its masks stay aligned.
 */
final class AxisSampling {

    private final int[] nearest;
    private final int[] first;
    private final float[][] weights;

    private AxisSampling(int[] nearest, int[] first, float[][] weights) {
        this.nearest = nearest;
        this.first = first;
        this.weights = weights;
    }

    /** Samples source pixels offset .. offset + span - 1 onto target pixels 0 .. target - 1. */
    static AxisSampling of(int offset, int span, int target) {
        double scale = (double) span / target;
        int last = offset + span - 1;
        int[] nearest = new int[target];
        int[] first = new int[target];
        float[][] weights = new float[target][];
        for (int t = 0; t < target; t++) {
            nearest[t] = Math.min(last, offset + (int) Math.floor((t + 0.5) * scale));
            if (scale > 1) {
                double from = offset + t * scale;
                double to = offset + (t + 1) * scale;
                int lo = (int) Math.floor(from);
                int hi = Math.min(last, (int) Math.ceil(to) - 1);
                first[t] = lo;
                weights[t] = new float[hi - lo + 1];
                for (int s = lo; s <= hi; s++) {
                    double overlap = Math.min(to, s + 1) - Math.max(from, s);
                    weights[t][s - lo] = (float) (overlap / scale);
                }
            } else {
                double centre = Math.max(offset, Math.min(last, offset + (t + 0.5) * scale - 0.5));
                int lo = (int) Math.floor(centre);
                float frac = (float) (centre - lo);
                first[t] = lo;
                weights[t] = lo < last ? new float[] {1 - frac, frac} : new float[] {1};
            }
        }
        return new AxisSampling(nearest, first, weights);
    }

    /** The source pixel whose area holds the centre of target pixel t. */
    int nearest(int t) {
        return nearest[t];
    }

    /** First source pixel contributing to target pixel t; they are consecutive and never decrease with t. */
    int first(int t) {
        return first[t];
    }

    /** Last source pixel contributing to target pixel t. */
    int last(int t) {
        return first[t] + weights[t].length - 1;
    }

    /** Weight of source pixel s in target pixel t, 0 outside first(t) .. last(t); a pixel's weights sum to 1. */
    float weight(int t, int s) {
        int k = s - first[t];
        return k < 0 || k >= weights[t].length ? 0f : weights[t][k];
    }

    int targets() {
        return nearest.length;
    }
}
