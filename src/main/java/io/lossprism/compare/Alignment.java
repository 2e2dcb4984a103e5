package io.lossprism.compare;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.LongStream;

/**
 * Puts several runs' series on one iteration axis, the way a chart with one x axis needs them, and finds
 * the latest iteration that every run reported: where their values can be compared as they were, without
 * interpolation.
 */
public final class Alignment {

    private Alignment() {}

    /** Every iteration any of the runs reported, ascending and distinct. */
    public static long[] axis(List<RunSeries> runs) {
        return runs.stream()
                .flatMapToLong(r -> LongStream.of(r.iterations()))
                .sorted()
                .distinct()
                .toArray();
    }

    /**
     * A run's {@code values} (one per report, as its {@link RunSeries#iterations} go) placed on {@code axis}:
     * NaN where the run has no report at that iteration.
     *
     * @throws IllegalArgumentException when the run reported an iteration the axis lacks
     */
    public static double[] onAxis(long[] axis, RunSeries run, double[] values) {
        if (values.length != run.size()) {
            throw new IllegalArgumentException(values.length + " values for " + run.size() + " reports");
        }
        double[] aligned = new double[axis.length];
        Arrays.fill(aligned, Double.NaN);
        int at = 0;
        for (int i = 0; i < run.size(); i++) {
            long iteration = run.iteration(i);
            while (at < axis.length && axis[at] < iteration) {
                at++;
            }
            if (at == axis.length || axis[at] != iteration) {
                throw new IllegalArgumentException("iteration " + iteration + " is not on the axis");
            }
            aligned[at] = values[i];
        }
        return aligned;
    }

    /** The highest iteration at which every run has a report; empty when they share none (or there are none). */
    public static OptionalLong latestCommonIteration(List<RunSeries> runs) {
        if (runs.isEmpty()) {
            return OptionalLong.empty();
        }
        long[] common = runs.get(0).iterations();
        for (RunSeries run : runs.subList(1, runs.size())) {
            common = intersection(common, run.iterations());
        }
        return common.length == 0 ? OptionalLong.empty() : OptionalLong.of(common[common.length - 1]);
    }

    /** The iterations in both ascending arrays. */
    private static long[] intersection(long[] a, long[] b) {
        long[] both = new long[Math.min(a.length, b.length)];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                both[n++] = a[i];
                i++;
                j++;
            }
        }
        return Arrays.copyOf(both, n);
    }
}
