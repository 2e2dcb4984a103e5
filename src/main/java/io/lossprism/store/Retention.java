package io.lossprism.store;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Downsampling of old detail: full-detail reports are grouped per split into buckets of {@code factor}
 * consecutive iterations ({@code floorDiv(iteration - 1, factor)}), and each bucket with more than one
 * report becomes one row at its last report's iteration holding their {@link ReportMerge mean}.
 *
 * <p>Only whole buckets at or before the boundary are merged: a bucket that the boundary cuts keeps its
 * detail until a later call moves the boundary past it, so every merged row covers one bucket, however
 * often retention runs. Rows already merged are never merged again, which makes a second call with the
 * same arguments a no-op.
 *
 * <p>Work goes in windows of whole buckets (about {@value #WINDOW_ROWS} rows), one transaction each:
 * memory stays bounded for a run of millions of reports, and a crash leaves every bucket either as its old
 * rows or as its merged row.
 */
final class Retention {

    static final int WINDOW_ROWS = 2_000;

    private Retention() {}

    static RetentionResult downsample(Database db, String runId, long keepDetailAfterIteration, int factor) {
        return downsample(db, runId, keepDetailAfterIteration, factor, WINDOW_ROWS);
    }

    /** As {@link #downsample(Database, String, long, int)}, with windows of about {@code windowRows} rows. */
    static RetentionResult downsample(
            Database db, String runId, long keepDetailAfterIteration, int factor, int windowRows) {
        int before = rows(db, runId);
        if (factor > 1) {
            long upTo = lastWholeBucketEnd(keepDetailAfterIteration, factor);
            List<String> splits = db.read("downsample run " + runId, c -> Reports.splitsWithDetail(c, runId, upTo));
            for (String split : splits) {
                downsampleSplit(db, runId, split, upTo, factor, windowRows);
            }
        }
        return new RetentionResult(before, rows(db, runId));
    }

    private static void downsampleSplit(
            Database db, String runId, String split, long upTo, int factor, int windowRows) {
        String what = "downsample run " + runId + " split " + split;
        long bucketsPerWindow = Math.max(1, windowRows / factor);
        long done = Long.MIN_VALUE;
        while (true) {
            long after = done;
            OptionalLong first = db.read(what, c -> Reports.firstDetail(c, runId, split, after, upTo));
            if (first.isEmpty()) {
                return;
            }
            long windowEnd = Math.min(upTo, (bucket(first.getAsLong(), factor) + bucketsPerWindow) * factor);
            db.transaction(what, c -> {
                for (List<StoredReport> bucket : buckets(Reports.detail(c, runId, split, after, windowEnd), factor)) {
                    if (bucket.size() > 1) {
                        List<String> jsons =
                                bucket.stream().map(StoredReport::json).toList();
                        Reports.replace(
                                c,
                                runId,
                                split,
                                bucket.get(0).iteration(),
                                bucket.get(bucket.size() - 1).iteration(),
                                bucket.size(),
                                ReportMerge.merge(jsons));
                    }
                }
                return null;
            });
            done = windowEnd;
        }
    }

    /** The last iteration of the last bucket that lies entirely at or before {@code boundary}. */
    static long lastWholeBucketEnd(long boundary, int factor) {
        return Math.floorDiv(boundary, factor) * factor;
    }

    static long bucket(long iteration, int factor) {
        return Math.floorDiv(iteration - 1, factor);
    }

    /** Consecutive rows (ascending iteration) grouped by bucket, in order. */
    static List<List<StoredReport>> buckets(List<StoredReport> rows, int factor) {
        List<List<StoredReport>> buckets = new ArrayList<>();
        List<StoredReport> current = new ArrayList<>();
        for (StoredReport row : rows) {
            if (!current.isEmpty() && bucket(current.get(0).iteration(), factor) != bucket(row.iteration(), factor)) {
                buckets.add(current);
                current = new ArrayList<>();
            }
            current.add(row);
        }
        if (!current.isEmpty()) {
            buckets.add(current);
        }
        return buckets;
    }

    private static int rows(Database db, String runId) {
        return Math.toIntExact(db.read("count reports of run " + runId, c -> Reports.count(c, runId, null, false)));
    }
}
