package io.lossprism.http;

import io.vertx.core.json.Json;
import java.util.List;

/**
 * Writes a {@code history} message in the columnar form of docs/protocol.md: per series one array over
 * the reports, numbers to {@value ChartNumbers#DIGITS} significant digits, class names once, and the
 * last report whole (the dashboard's table shows every field of it). A long run's is about a tenth of
 * the same reports as batch objects.
 */
final class HistoryColumns {

    private HistoryColumns() {}

    static String encode(HistorySlice slice) {
        List<HistorySlice.Point> points = slice.points();
        List<String> classes = points.isEmpty()
                ? List.of()
                : points.get(points.size() - 1).columns().classes();
        StringBuilder text = new StringBuilder(256 + points.size() * (16 + 8 * (10 + 5 * classes.size())));
        text.append("{\"type\":\"history\",\"format\":\"columns\",\"split\":")
                .append(Json.encode(slice.split()))
                .append(",\"after\":")
                .append(slice.after())
                .append(",\"total\":")
                .append(slice.total())
                .append(",\"downsampled\":")
                .append(slice.downsampled())
                .append(",\"classes\":")
                .append(Json.encode(classes))
                .append(",\"iteration\":[");
        for (int i = 0; i < points.size(); i++) {
            text.append(i == 0 ? "" : ",").append(points.get(i).iteration());
        }
        text.append(']');
        int column = 0;
        for (String scalar : ReportColumns.SCALARS) {
            text.append(",\"").append(scalar).append("\":");
            column(text, points, column++);
        }
        for (String metric : ReportColumns.AVERAGED) {
            text.append(",\"").append(metric).append("\":{");
            for (int a = 0; a < ReportColumns.AVERAGES.length; a++) {
                text.append(a == 0 ? "\"" : ",\"")
                        .append(ReportColumns.AVERAGES[a])
                        .append("\":");
                column(text, points, column++);
            }
            text.append('}');
        }
        text.append(",\"perClass\":{");
        for (int f = 0; f < ReportColumns.CLASS_FIELDS.length; f++) {
            text.append(f == 0 ? "\"" : ",\"")
                    .append(ReportColumns.CLASS_FIELDS[f])
                    .append("\":[");
            for (int c = 0; c < classes.size(); c++) {
                text.append(c == 0 ? "[" : ",[");
                for (int i = 0; i < points.size(); i++) {
                    if (i > 0) {
                        text.append(',');
                    }
                    ChartNumbers.append(text, points.get(i).columns().classValue(c, f));
                }
                text.append(']');
            }
            text.append(']');
        }
        text.append('}');
        if (!points.isEmpty()) {
            text.append(",\"last\":").append(points.get(points.size() - 1).json());
        }
        return text.append('}').toString();
    }

    /** One of the values before the classes', over all points; the epoch as a whole number. */
    private static void column(StringBuilder text, List<HistorySlice.Point> points, int column) {
        text.append('[');
        for (int i = 0; i < points.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            double[] values = points.get(i).columns().values();
            double value = column < values.length ? values[column] : Double.NaN;
            if (column == 0 && Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
                text.append((long) value);
            } else {
                ChartNumbers.append(text, value);
            }
        }
        text.append(']');
    }
}
