package io.lossprism.series;

import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * Picks which points of several aligned series to keep so that a chart of the kept points still shows
 * every series' extremes. Averaging or striding would hide exactly what LossPrism is for: a short spike
 * in one class's loss. Instead the range is cut into equal-width buckets and each bucket keeps the
 * minimum and the maximum of every series, with as many buckets as fit in the budget.
 */
public final class Downsampler {

    private Downsampler() {}

    /** The smallest budget {@link #select} accepts for this many series: first, last, and each min and max. */
    public static int minimumPoints(int seriesCount) {
        return 2 + 2 * seriesCount;
    }

    /**
     * The indices to keep, ascending and distinct: all of them when there are at most {@code maxPoints},
     * otherwise at most {@code maxPoints} that include the first and the last point, every series' global
     * minimum and maximum, and the per-bucket minimum and maximum of every series for the largest bucket
     * count found to fit. NaN means undefined and is never chosen as an extreme.
     *
     * @param series    {@code series[s][i]} is series s at point i; at least one series, all the same length
     * @param maxPoints at least {@link #minimumPoints} of the series count
     */
    public static int[] select(double[][] series, int maxPoints) {
        int n = commonLength(series);
        if (maxPoints < minimumPoints(series.length)) {
            throw new IllegalArgumentException("maxPoints " + maxPoints + " cannot hold the first, last, min and max "
                    + "of " + series.length + " series; need at least " + minimumPoints(series.length));
        }
        if (n <= maxPoints) {
            return IntStream.range(0, n).toArray();
        }
        BitSet required = new BitSet(n);
        required.set(0);
        required.set(n - 1);
        addExtremes(series, 0, n, required);

        // halve until the union fits, then bisect between the fitting count and the one twice as large;
        // the union's size is not strictly monotone in the bucket count, so keep the best fit seen
        int fits = maxPoints / 2;
        BitSet best = withBuckets(series, n, fits, required);
        while (fits > 1 && best.cardinality() > maxPoints) {
            fits /= 2;
            best = withBuckets(series, n, fits, required);
        }
        if (fits <= 1) {
            return required.stream().toArray(); // one bucket: the global extremes, which always fit
        }
        int tooMany = fits == maxPoints / 2 ? fits : 2 * fits;
        while (tooMany - fits > 1) {
            int middle = (fits + tooMany) >>> 1;
            BitSet candidate = withBuckets(series, n, middle, required);
            if (candidate.cardinality() <= maxPoints) {
                fits = middle;
                best = candidate;
            } else {
                tooMany = middle;
            }
        }
        return best.stream().toArray();
    }

    private static BitSet withBuckets(double[][] series, int n, int buckets, BitSet required) {
        BitSet chosen = (BitSet) required.clone();
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            addExtremes(series, from, to, chosen);
        }
        return chosen;
    }

    /** Adds the index of each series' minimum and maximum in [from, to); the first one on ties. */
    private static void addExtremes(double[][] series, int from, int to, BitSet chosen) {
        for (double[] values : series) {
            int min = -1;
            int max = -1;
            for (int i = from; i < to; i++) {
                double v = values[i];
                if (Double.isNaN(v)) {
                    continue;
                }
                if (min < 0 || v < values[min]) {
                    min = i;
                }
                if (max < 0 || v > values[max]) {
                    max = i;
                }
            }
            if (min >= 0) {
                chosen.set(min);
                chosen.set(max);
            }
        }
    }

    private static int commonLength(double[][] series) {
        if (series.length == 0) {
            throw new IllegalArgumentException("no series: the number of points is unknown");
        }
        int n = series[0].length;
        for (int s = 1; s < series.length; s++) {
            if (series[s].length != n) {
                throw new IllegalArgumentException(
                        "series " + s + " has " + series[s].length + " points, series 0 has " + n);
            }
        }
        return n;
    }
}
