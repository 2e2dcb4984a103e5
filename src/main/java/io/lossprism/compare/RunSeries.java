package io.lossprism.compare;

import io.lossprism.series.Downsampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One run's per-class series of one split: for each report, by ascending iteration, the aggregate loss and
 * each class's IoU, Dice and loss term. Stored by column (a double per value), so a long run's history
 * stays compact. Immutable.
 */
public final class RunSeries {

    private final List<String> classes;
    private final long[] iterations;
    private final double[] loss;
    /** {@code values[metric][class][point]}. */
    private final double[][][] values;

    private RunSeries(List<String> classes, long[] iterations, double[] loss, double[][][] values) {
        this.classes = List.copyOf(classes);
        this.iterations = iterations;
        this.loss = loss;
        this.values = values;
    }

    /** A builder for a run training these classes, in their order. */
    public static Builder builder(List<String> classes) {
        return new Builder(classes);
    }

    /** The smallest point budget {@link #downsampled} can keep for this many classes. */
    public static int minimumPoints(int classes) {
        return Downsampler.minimumPoints(seriesCount(classes));
    }

    public List<String> classes() {
        return classes;
    }

    public int size() {
        return iterations.length;
    }

    /** The iterations, ascending (a copy). */
    public long[] iterations() {
        return iterations.clone();
    }

    public long iteration(int index) {
        return iterations[index];
    }

    /** The aggregate loss at each point (a copy). */
    public double[] loss() {
        return loss.clone();
    }

    /** A class's {@code metric} at each point (a copy). */
    public double[] values(Metric metric, int classIndex) {
        return values[metric.ordinal()][classIndex].clone();
    }

    /** The last iteration reported, if any. */
    public OptionalLong latestIteration() {
        return iterations.length == 0 ? OptionalLong.empty() : OptionalLong.of(iterations[iterations.length - 1]);
    }

    /** The index of the report at {@code iteration} exactly, if there is one. */
    public OptionalInt indexAt(long iteration) {
        int found = Arrays.binarySearch(iterations, iteration);
        return found >= 0 ? OptionalInt.of(found) : OptionalInt.empty();
    }

    /** The index of the last report at or before {@code iteration}, if there is one. */
    public OptionalInt indexAsOf(long iteration) {
        int found = Arrays.binarySearch(iterations, iteration);
        int index = found >= 0 ? found : -found - 2;
        return index >= 0 ? OptionalInt.of(index) : OptionalInt.empty();
    }

    /** The numbers of one report. */
    public Snapshot snapshot(int index) {
        List<ClassPoint> points = new ArrayList<>(classes.size());
        for (int c = 0; c < classes.size(); c++) {
            points.add(new ClassPoint(
                    classes.get(c),
                    values[Metric.IOU.ordinal()][c][index],
                    values[Metric.DICE.ordinal()][c][index],
                    values[Metric.LOSS.ordinal()][c][index]));
        }
        return new Snapshot(iterations[index], loss[index], points);
    }

    /**
     * At most {@code maxPoints} of the reports (raised to {@link #minimumPoints} when lower), chosen by the
     * {@link Downsampler}: the first, the last, and the extremes of the loss and of every class's IoU, Dice
     * and loss term survive. All of them when they fit.
     */
    public RunSeries downsampled(int maxPoints) {
        int budget = Math.max(maxPoints, minimumPoints(classes.size()));
        if (iterations.length <= budget) {
            return this;
        }
        double[][] matrix = new double[seriesCount(classes.size())][];
        matrix[0] = loss;
        int s = 1;
        for (double[][] metric : values) {
            for (double[] series : metric) {
                matrix[s++] = series;
            }
        }
        int[] kept = Downsampler.select(matrix, budget);
        double[][][] keptValues = new double[values.length][classes.size()][];
        for (int m = 0; m < values.length; m++) {
            for (int c = 0; c < classes.size(); c++) {
                keptValues[m][c] = pick(values[m][c], kept);
            }
        }
        long[] keptIterations = new long[kept.length];
        for (int i = 0; i < kept.length; i++) {
            keptIterations[i] = iterations[kept[i]];
        }
        return new RunSeries(classes, keptIterations, pick(loss, kept), keptValues);
    }

    private static double[] pick(double[] series, int[] indices) {
        double[] picked = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            picked[i] = series[indices[i]];
        }
        return picked;
    }

    private static int seriesCount(int classes) {
        return 1 + Metric.values().length * classes;
    }

    /** Collects reports in ascending iteration order. Not thread-safe. */
    public static final class Builder {

        private final List<String> classes;
        private final Map<String, Integer> index = new LinkedHashMap<>();
        private long[] iterations = new long[16];
        private double[] loss = new double[16];
        private final double[][][] values;
        private int size;

        private Builder(List<String> classes) {
            this.classes = List.copyOf(classes);
            for (int c = 0; c < this.classes.size(); c++) {
                if (index.put(this.classes.get(c), c) != null) {
                    throw new IllegalArgumentException("class '" + this.classes.get(c) + "' named twice");
                }
            }
            values = new double[Metric.values().length][this.classes.size()][16];
        }

        /**
         * Adds a report. Its classes are matched by name: one the run does not train is ignored, one it
         * lacks is NaN.
         *
         * @throws IllegalArgumentException when {@code iteration} is not above the last one added
         */
        public Builder add(long iteration, double aggregateLoss, List<ClassPoint> points) {
            if (size > 0 && iteration <= iterations[size - 1]) {
                throw new IllegalArgumentException(
                        "iteration " + iteration + " does not follow " + iterations[size - 1] + "; add in order");
            }
            if (size == iterations.length) {
                grow();
            }
            iterations[size] = iteration;
            loss[size] = aggregateLoss;
            for (double[][] metric : values) {
                for (double[] series : metric) {
                    series[size] = Double.NaN;
                }
            }
            for (ClassPoint point : points) {
                Integer c = index.get(point.name());
                if (c != null) {
                    for (Metric m : Metric.values()) {
                        values[m.ordinal()][c][size] = point.value(m);
                    }
                }
            }
            size++;
            return this;
        }

        public RunSeries build() {
            double[][][] trimmed = new double[values.length][classes.size()][];
            for (int m = 0; m < values.length; m++) {
                for (int c = 0; c < classes.size(); c++) {
                    trimmed[m][c] = Arrays.copyOf(values[m][c], size);
                }
            }
            return new RunSeries(classes, Arrays.copyOf(iterations, size), Arrays.copyOf(loss, size), trimmed);
        }

        private void grow() {
            int capacity = iterations.length * 2;
            iterations = Arrays.copyOf(iterations, capacity);
            loss = Arrays.copyOf(loss, capacity);
            for (double[][] metric : values) {
                for (int c = 0; c < metric.length; c++) {
                    metric[c] = Arrays.copyOf(metric[c], capacity);
                }
            }
        }
    }
}
