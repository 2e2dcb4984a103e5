package io.lossprism.store;

import static io.lossprism.store.SampleReports.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreRetentionTest {

    @TempDir
    Path dir;

    private RunStore store;

    @BeforeEach
    void open() {
        store = RunStore.open(dir);
        store.createRun("r1", "{}", 1);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void appendTrain(long from, long to) {
        List<ReportRow> rows = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            rows.add(new ReportRow("train", i, train(i)));
        }
        store.appendReports("r1", rows);
    }

    private List<StoredReport> all(String split) {
        return store.reports("r1", split, Long.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Test
    void mergesWholeBucketsUpToTheBoundaryAndKeepsLaterDetail() {
        appendTrain(1, 100);

        RetentionResult result = store.downsample("r1", 50, 10);

        assertThat(result).isEqualTo(new RetentionResult(100, 5 + 50));
        List<StoredReport> rows = all("train");
        assertThat(rows.subList(0, 5)).extracting(StoredReport::iteration).containsExactly(10L, 20L, 30L, 40L, 50L);
        assertThat(rows.subList(0, 5)).extracting(StoredReport::merged).containsOnly(10);
        assertThat(rows.subList(5, 55)).allSatisfy(r -> {
            assertThat(r.merged()).isEqualTo(1);
            assertThat(r.json()).isEqualTo(train(r.iteration()));
        });
        assertThat(store.reportRows("r1", "train")).isEqualTo(55);
        assertThat(store.reportedIterations("r1", "train")).isEqualTo(100);
    }

    @Test
    void theMergedRowHoldsTheMeanOfItsBucket() {
        store.appendReport("r1", "train", 1, SampleReports.report("train", 1, 0.2));
        store.appendReport("r1", "train", 2, SampleReports.report("train", 2, 0.6));
        store.appendReport("r1", "train", 3, SampleReports.report("train", 3, 1.0));

        store.downsample("r1", 4, 4);

        StoredReport row = all("train").get(0);
        assertThat(row.iteration()).isEqualTo(3);
        assertThat(row.merged()).isEqualTo(3);
        JsonObject json = new JsonObject(row.json());
        assertThat(json.getLong("iteration")).isEqualTo(3);
        assertThat(json.getLong("timestamp")).isEqualTo(1_700_000_000_000L + 3 * 250);
        assertThat(json.getDouble("loss")).isCloseTo(0.6, within(1e-12));
        assertThat(json.getDouble("lossMin")).isEqualTo(0.2);
        assertThat(json.getDouble("lossMax")).isEqualTo(1.0);
        assertThat(json.getInteger("merged")).isEqualTo(3);
        JsonObject disc = json.getJsonArray("classes").getJsonObject(0);
        assertThat(disc.getInteger("index")).isZero();
        assertThat(disc.getString("name")).isEqualTo("disc");
        assertThat(disc.getDouble("loss")).isCloseTo(0.45, within(1e-12));
        assertThat(disc.getDouble("tp")).isEqualTo(102.0);
        JsonObject speck = json.getJsonArray("classes").getJsonObject(1);
        assertThat(speck.getValue("iou")).isNull();
        assertThat(speck.getDouble("loss")).isCloseTo(0.15, within(1e-12));
    }

    @Test
    void aSecondCallChangesNothing() {
        appendTrain(1, 100);
        store.downsample("r1", 50, 10);
        List<StoredReport> once = all("train");

        RetentionResult again = store.downsample("r1", 50, 10);

        assertThat(again).isEqualTo(new RetentionResult(55, 55));
        assertThat(all("train")).isEqualTo(once);
    }

    @Test
    void aBucketCutByTheBoundaryWaitsUntilTheBoundaryPassesIt() {
        appendTrain(1, 30);

        store.downsample("r1", 15, 10);

        assertThat(all("train"))
                .extracting(StoredReport::iteration)
                .containsExactly(
                        10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L,
                        29L, 30L);

        store.downsample("r1", 25, 10);

        assertThat(all("train")).extracting(StoredReport::iteration).startsWith(10L, 20L, 21L);
        assertThat(all("train").get(1).merged()).isEqualTo(10);
        assertThat(store.reportedIterations("r1", "train")).isEqualTo(30);
    }

    @Test
    void bucketsAreCountedInIterationsNotRows() {
        for (long i : new long[] {1, 2, 4, 7, 8, 9, 11}) {
            store.appendReport("r1", "train", i, train(i));
        }
        // Sparse validation reports: one per bucket, nothing to merge.
        store.appendReport("r1", "validation", 5, "{\"loss\":1}");
        store.appendReport("r1", "validation", 10, "{\"loss\":2}");

        store.downsample("r1", 10, 5);

        assertThat(all("train"))
                .extracting(StoredReport::iteration, StoredReport::merged)
                .containsExactly(tuple(4L, 3), tuple(9L, 3), tuple(11L, 1));
        assertThat(all("validation")).extracting(StoredReport::merged).containsExactly(1, 1);
        assertThat(store.reportedIterations("r1", "train")).isEqualTo(7);
    }

    @Test
    void aFactorOfOneOrAnotherRunIsLeftAlone() {
        appendTrain(1, 20);
        store.createRun("r2", "{}", 2);

        assertThat(store.downsample("r1", 20, 1)).isEqualTo(new RetentionResult(20, 20));
        assertThat(store.downsample("r2", 20, 10)).isEqualTo(new RetentionResult(0, 0));
        assertThat(store.reportRows("r1", "train")).isEqualTo(20);
    }

    @Test
    void manyWindowsOfWorkCoverEveryBucket() {
        int n = 57;
        appendTrain(1, n);

        // Windows of 3 buckets (7 rows / factor 2), then of 1 bucket (a window smaller than a bucket).
        try (Database db = Database.open(store.file())) {
            Retention.downsample(db, "r1", 40, 2, 7);
            Retention.downsample(db, "r1", n, 3, 1);
        }

        List<StoredReport> rows = all("train");
        assertThat(rows.subList(0, 20)).allSatisfy(r -> {
            assertThat(r.merged()).isEqualTo(2);
            assertThat(r.iteration() % 2).isZero();
        });
        assertThat(rows.subList(20, rows.size()))
                .extracting(StoredReport::iteration, StoredReport::merged)
                .containsExactly(
                        tuple(42L, 2), tuple(45L, 3), tuple(48L, 3), tuple(51L, 3), tuple(54L, 3), tuple(57L, 3));
        assertThat(store.reportedIterations("r1", "train")).isEqualTo(n);
    }

    @Test
    void appendsGoOnWhileRetentionRuns() throws Exception {
        int n = 600;
        Thread writer = new Thread(() -> {
            for (long i = 1; i <= n; i++) {
                store.appendReport("r1", "train", i, train(i));
            }
        });
        writer.start();
        while (writer.isAlive()) {
            store.downsample("r1", store.reportedIterations("r1", "train") - 20, 5);
        }
        writer.join();
        store.downsample("r1", n, 5);

        long previous = 0;
        for (StoredReport row : all("train")) {
            assertThat(row.iteration() - previous).isEqualTo(row.merged()).isEqualTo(5);
            previous = row.iteration();
        }
        assertThat(previous).isEqualTo(n);
    }

    @Test
    void bucketsGroupConsecutiveRowsByIteration() {
        List<StoredReport> rows = new ArrayList<>();
        for (long i : new long[] {-1, 0, 1, 3, 4, 5, 9}) {
            rows.add(new StoredReport("train", i, 1, "{}"));
        }

        List<List<Long>> buckets = Retention.buckets(rows, 4).stream()
                .map(b -> b.stream().map(StoredReport::iteration).toList())
                .toList();

        assertThat(buckets).containsExactly(List.of(-1L, 0L), List.of(1L, 3L, 4L), List.of(5L), List.of(9L));
        assertThat(Retention.lastWholeBucketEnd(15, 10)).isEqualTo(10);
        assertThat(Retention.lastWholeBucketEnd(20, 10)).isEqualTo(20);
        assertThat(Retention.lastWholeBucketEnd(-5, 10)).isEqualTo(-10);
    }
}
