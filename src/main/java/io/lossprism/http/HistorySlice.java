package io.lossprism.http;

import java.util.List;

/**
 * Reports of one split after an iteration, as a {@code history} message carries them.
 *
 * @param after       exclusive lower iteration bound
 * @param total       reports the server holds in the range
 * @param downsampled whether {@code points} is a selection of those, keeping every series' extremes
 * @param points      each selected report, by iteration
 */
public record HistorySlice(String split, long after, int total, boolean downsampled, List<Point> points) {

    public HistorySlice {
        points = List.copyOf(points);
    }

    /**
     * One report: its chart numbers, and its batch JSON (the message carries the last one whole).
     */
    public record Point(long iteration, ReportColumns.Row columns, String json) {}

    /** The batch JSON of each selected report, by iteration. */
    public List<String> reports() {
        return points.stream().map(Point::json).toList();
    }
}
