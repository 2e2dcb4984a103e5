package io.lossprism.http;

import io.lossprism.series.Downsampler;
import java.util.ArrayList;
import java.util.List;

/** The reports of one split, by iteration, thinned with the {@link Downsampler} when over the cap. */
final class SplitHistory {

    private record Entry(long iteration, double[] values, ReportColumns.Row columns, String json) {}

    private final int cap;
    private List<Entry> entries = new ArrayList<>();

    SplitHistory(int cap) {
        this.cap = cap;
    }

    /**
     * Adds or replaces the report of an iteration; reports normally come in order, so this appends.
     *
     * @return true when the reports held before are all still there unchanged (the report was appended)
     */
    boolean add(long iteration, double[] values, ReportColumns.Row columns, String json) {
        Entry entry = new Entry(iteration, values, columns, json);
        int at = firstAfter(iteration - 1);
        boolean appended = at == entries.size();
        if (appended) {
            entries.add(entry);
        } else if (entries.get(at).iteration() == iteration) {
            entries.set(at, entry);
        } else {
            entries.add(at, entry);
        }
        if (entries.size() > cap) {
            thin();
            return false;
        }
        return appended;
    }

    HistorySlice since(String split, long after, int maxPoints) {
        List<Entry> range = entries.subList(firstAfter(after), entries.size());
        List<Entry> kept = range.size() <= maxPoints ? range : select(range, maxPoints);
        return new HistorySlice(
                split,
                after,
                range.size(),
                kept.size() < range.size(),
                kept.stream()
                        .map(e -> new HistorySlice.Point(e.iteration(), e.columns(), e.json()))
                        .toList());
    }

    /** A copy that later adds to this one leave alone: another thread may read it while this one grows. */
    SplitHistory copy() {
        SplitHistory copy = new SplitHistory(cap);
        copy.entries = new ArrayList<>(entries);
        return copy;
    }

    /** Reports held with an iteration greater than {@code after}. */
    int countAfter(long after) {
        return entries.size() - firstAfter(after);
    }

    long last() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).iteration();
    }

    /** The class names of the last report, shared by reports that name the same. */
    List<String> lastClasses() {
        return entries.isEmpty()
                ? List.of()
                : entries.get(entries.size() - 1).columns().classes();
    }

    int size() {
        return entries.size();
    }

    /**
     * Halves the history, keeping every series' extremes. Recent reports added since the last thinning
     * are dense, older ones already thinned, so each thinning leaves older stretches coarser.
     */
    private void thin() {
        int target = Math.max(cap / 2, Downsampler.minimumPoints(seriesCount(entries)));
        if (target < entries.size()) {
            entries = new ArrayList<>(select(entries, target));
        }
    }

    private static List<Entry> select(List<Entry> range, int maxPoints) {
        int series = seriesCount(range);
        double[][] matrix = new double[series][range.size()];
        for (int i = 0; i < range.size(); i++) {
            double[] values = range.get(i).values();
            for (int s = 0; s < series; s++) {
                // a report with fewer classes than others leaves their series undefined
                matrix[s][i] = s < values.length ? values[s] : Double.NaN;
            }
        }
        int[] indices = Downsampler.select(matrix, maxPoints);
        List<Entry> kept = new ArrayList<>(indices.length);
        for (int i : indices) {
            kept.add(range.get(i));
        }
        return kept;
    }

    private static int seriesCount(List<Entry> range) {
        return Math.max(1, range.stream().mapToInt(e -> e.values().length).max().orElse(1));
    }

    /** Index of the first entry whose iteration is greater than {@code iteration}. */
    private int firstAfter(long iteration) {
        int low = 0;
        int high = entries.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (entries.get(middle).iteration() <= iteration) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
