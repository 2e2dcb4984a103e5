package io.lossprism.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints what the store sustains with reports the size of the real ones (5 classes, every field): appends
 * per second one at a time and batched, bytes on disk per report, and retention's rate. Figures only; the
 * assertions check the work was done, never how fast.
 */
class RunStoreThroughputTest {

    private static final int SINGLE = 1_000;
    private static final int BATCHED = 4_000;
    private static final int BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void printsAppendAndRetentionRates() throws Exception {
        List<String> jsons = new ArrayList<>();
        for (int i = 1; i <= SINGLE + BATCHED; i++) {
            jsons.add(SampleReports.realistic(i));
        }
        try (RunStore store = RunStore.open(dir)) {
            store.createRun("r1", "{}", 1);

            long t0 = System.nanoTime();
            for (int i = 1; i <= SINGLE; i++) {
                store.appendReport("r1", "train", i, jsons.get(i - 1));
            }
            long t1 = System.nanoTime();
            for (int from = SINGLE + 1; from <= SINGLE + BATCHED; from += BATCH) {
                List<ReportRow> rows = new ArrayList<>(BATCH);
                for (int i = from; i < from + BATCH; i++) {
                    rows.add(new ReportRow("train", i, jsons.get(i - 1)));
                }
                store.appendReports("r1", rows);
            }
            long t2 = System.nanoTime();
            int total = SINGLE + BATCHED;
            store.close();
            long bytes = Files.size(store.file());

            try (RunStore reopened = RunStore.open(dir)) {
                long t3 = System.nanoTime();
                RetentionResult result = reopened.downsample("r1", total, 10);
                long t4 = System.nanoTime();

                assertThat(result).isEqualTo(new RetentionResult(total, total / 10));
                assertThat(reopened.reportedIterations("r1", "train")).isEqualTo(total);
                System.out.printf("RunStore throughput: %.0f appends/s one per transaction, %.0f appends/s"
                        + " in batches of %d; %.0f bytes per report on disk (JSON %d chars);"
                        + " downsample x10: %.0f reports/s%n",
                        SINGLE / seconds(t1 - t0), BATCHED / seconds(t2 - t1), BATCH, (double) bytes / total,
                        jsons.get(0).length(), total / seconds(t4 - t3));
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
