package io.lossprism.store;

import static io.lossprism.store.SampleReports.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

    @TempDir
    Path dir;

    private RunStore store;

    @BeforeEach
    void open() {
        store = RunStore.open(dir.resolve("data"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static List<Long> iterations(List<StoredReport> reports) {
        return reports.stream().map(StoredReport::iteration).toList();
    }

    @Test
    void createsTheDirectoryAndTheFile() {
        assertThat(store.file())
                .isEqualTo(dir.resolve("data").resolve("lossprism.db").toAbsolutePath());
        assertThat(store.file()).exists();
    }

    @Test
    void runsRoundTripNewestFirst() {
        assertThat(store.latestRun()).isEmpty();
        store.createRun("r1", "{\"epochs\":3}", 1_000);
        store.createRun("r2", "{\"epochs\":5}", 2_000);
        store.createRun("r3", "{}", 2_000);

        assertThat(store.run("r1"))
                .contains(new RunRecord("r1", "{\"epochs\":3}", "created", 0, 0, null, 1_000, 1_000));
        assertThat(store.run("nope")).isEmpty();
        assertThat(store.runs()).extracting(RunRecord::id).containsExactly("r3", "r2", "r1");
        assertThat(store.latestRun()).map(RunRecord::id).contains("r3");

        store.updateRun("r2", "running", 420, 2, "epoch 2", 3_000);

        assertThat(store.run("r2"))
                .contains(new RunRecord("r2", "{\"epochs\":5}", "running", 420, 2, "epoch 2", 2_000, 3_000));
    }

    @Test
    void aDuplicateRunOrAnUnknownRunIsAnError() {
        store.createRun("r1", "{}", 1);

        assertThatThrownBy(() -> store.createRun("r1", "{}", 2))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("r1")
                .hasMessageContaining(store.file().toString());
        assertThatThrownBy(() -> store.updateRun("r9", "running", 1, 0, null, 2))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("r9");
        assertThatThrownBy(() -> store.appendReport("r9", "train", 1, train(1)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("r9");
        assertThatThrownBy(() -> store.appendAlert("r9", 1, 1, "{}")).isInstanceOf(StoreException.class);
        assertThat(store.run("r1")).map(RunRecord::updatedAt).contains(1L);
        assertThat(store.reportRows("r9", "train")).isZero();
    }

    @Test
    void reportsComeBackAscendingAfterAnIterationAndLimited() {
        store.createRun("r1", "{}", 1);
        for (long i : new long[] {3, 1, 5, 2, 4}) {
            store.appendReport("r1", "train", i, train(i));
        }
        store.appendReport("r1", "validation", 2, SampleReports.report("validation", 2, 0.7));

        List<StoredReport> all = store.reports("r1", "train", 0, 100);
        assertThat(iterations(all)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(all.get(2)).isEqualTo(new StoredReport("train", 3, 1, train(3)));
        assertThat(iterations(store.reports("r1", "train", 2, 100))).containsExactly(3L, 4L, 5L);
        assertThat(iterations(store.reports("r1", "train", 1, 2))).containsExactly(2L, 3L);
        assertThat(store.reports("r1", "train", 5, 100)).isEmpty();
        assertThat(store.reports("r1", "train", 0, 0)).isEmpty();
        assertThat(store.reports("r1", "validation", 0, 100))
                .containsExactly(new StoredReport("validation", 2, 1, SampleReports.report("validation", 2, 0.7)));
        assertThat(store.reportRows("r1", "train")).isEqualTo(5);
        assertThat(store.reportedIterations("r1", "train")).isEqualTo(5);
        assertThat(store.reportRows("r1", "test")).isZero();
        assertThat(store.reportedIterations("r1", "test")).isZero();
    }

    @Test
    void theSameRunSplitAndIterationReplaces() {
        store.createRun("r1", "{}", 1);
        store.appendReport("r1", "train", 7, train(7));
        store.appendReport("r1", "train", 7, "{\"loss\":0.5}");
        store.appendReport("r1", "validation", 7, "{\"loss\":0.6}");

        assertThat(store.reports("r1", "train", 0, 10))
                .containsExactly(new StoredReport("train", 7, 1, "{\"loss\":0.5}"));
        assertThat(store.reportRows("r1", "train")).isEqualTo(1);
        assertThat(store.reportRows("r1", "validation")).isEqualTo(1);
    }

    @Test
    void appendsManyReportsInOneCallAndKeepsRunsApart() {
        store.createRun("r1", "{}", 1);
        store.createRun("r2", "{}", 2);
        List<ReportRow> rows = new ArrayList<>();
        for (long i = 1; i <= 50; i++) {
            rows.add(new ReportRow("train", i, train(i)));
        }
        store.appendReports("r1", rows);
        store.appendReports("r1", List.of());
        store.appendReport("r2", "train", 1, "{}");

        assertThat(store.reportRows("r1", "train")).isEqualTo(50);
        assertThat(store.reports("r1", "train", 49, 10))
                .extracting(StoredReport::json)
                .containsExactly(train(50));
        assertThat(store.reportRows("r2", "train")).isEqualTo(1);
    }

    @Test
    void alertsComeBackNewestLastLimitedToTheLastOnes() {
        store.createRun("r1", "{}", 1);
        store.createRun("r2", "{}", 1);
        for (int i = 1; i <= 5; i++) {
            store.appendAlert("r1", i * 10, 1_000 + i, "{\"n\":" + i + "}");
        }
        store.appendAlert("r2", 1, 1, "{\"other\":true}");

        assertThat(store.alerts("r1", 3))
                .containsExactly(
                        new StoredAlert(30, 1_003, "{\"n\":3}"),
                        new StoredAlert(40, 1_004, "{\"n\":4}"),
                        new StoredAlert(50, 1_005, "{\"n\":5}"));
        assertThat(store.alerts("r1", 100)).hasSize(5);
        assertThat(store.alerts("r2", 100)).extracting(StoredAlert::json).containsExactly("{\"other\":true}");
        assertThat(store.alerts("r3", 100)).isEmpty();
    }

    @Test
    void truncateAfterDropsReportsAndAlertsOfThatRunAfterTheCheckpoint() {
        store.createRun("r1", "{}", 1);
        store.createRun("r2", "{}", 1);
        for (long i = 1; i <= 10; i++) {
            store.appendReport("r1", "train", i, train(i));
            store.appendReport("r2", "train", i, train(i));
        }
        store.appendReport("r1", "validation", 5, "{}");
        store.appendReport("r1", "validation", 10, "{}");
        store.appendAlert("r1", 3, 1, "{\"a\":3}");
        store.appendAlert("r1", 8, 2, "{\"a\":8}");

        int deleted = store.truncateAfter("r1", 6);

        assertThat(deleted).isEqualTo(4 + 1 + 1);
        assertThat(iterations(store.reports("r1", "train", 0, 100))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(iterations(store.reports("r1", "validation", 0, 100))).containsExactly(5L);
        assertThat(store.alerts("r1", 10)).extracting(StoredAlert::iteration).containsExactly(3L);
        assertThat(store.reportRows("r2", "train")).isEqualTo(10);
        assertThat(store.truncateAfter("r1", 6)).isZero();

        store.appendReport("r1", "train", 7, train(7));
        assertThat(iterations(store.reports("r1", "train", 5, 100))).containsExactly(6L, 7L);
    }

    @Test
    void reopeningKeepsEverything() {
        store.createRun("r1", "{\"a\":1}", 5);
        store.updateRun("r1", "finished", 3, 1, "done", 9);
        store.appendReport("r1", "train", 1, train(1));
        store.appendAlert("r1", 1, 6, "{}");
        store.close();
        store.close();

        store = RunStore.open(dir.resolve("data"));

        assertThat(store.run("r1")).contains(new RunRecord("r1", "{\"a\":1}", "finished", 3, 1, "done", 5, 9));
        assertThat(store.reports("r1", "train", 0, 10)).containsExactly(new StoredReport("train", 1, 1, train(1)));
        assertThat(store.alerts("r1", 10)).containsExactly(new StoredAlert(1, 6, "{}"));
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();

        assertThatThrownBy(() -> store.runs()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.appendReport("r1", "train", 1, "{}")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.downsample("r1", 1, 2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> store.reports("r1", "train", 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.alerts("r1", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.downsample("r1", 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.appendReport(null, "train", 1, "{}")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ReportRow("train", 1, null)).isInstanceOf(NullPointerException.class);
    }
}
