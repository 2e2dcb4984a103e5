package io.lossprism.store;

import static io.lossprism.store.SampleReports.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history that cannot grow: SQLite answers SQLITE_FULL, as it does on a full disk. Here the limit is
 * {@code PRAGMA max_page_count}, which makes SQLite and sqlite-jdbc fail exactly as a full file system does
 * (RunStoreDiskFullIT fills a real one).
 */
class RunStoreFullTest {

    @TempDir
    Path dir;

    private RunStore store;

    @BeforeEach
    void open() {
        store = RunStore.open(dir);
        store.createRun("r1", "{}", 1_000);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Lets the file grow by at most {@code pages} more pages (of 16 KiB). */
    private void limitGrowth(long pages) {
        store.database().read("limit", c -> {
            try (Statement s = c.createStatement()) {
                long now = Database.number(s, "PRAGMA page_count");
                s.execute("PRAGMA max_page_count = " + (now + pages));
            }
            return null;
        });
    }

    /** Appends reports from {@code first} until the store refuses one; the failure. */
    private Throwable fill(long first) {
        for (long i = first; i < first + 100_000; i++) {
            long iteration = i;
            Throwable failure = catchThrowable(() -> store.appendReport("r1", "train", iteration, train(iteration)));
            if (failure != null) {
                return failure;
            }
        }
        throw new AssertionError("the store never filled up");
    }

    @Test
    void aFullHistoryIsReportedAsADiskFullNamingTheFolderAndHowMuchIsNeeded() {
        limitGrowth(4);

        Throwable failure = fill(1);

        assertThat(failure).isInstanceOf(StoreFullException.class);
        assertThat(failure.getMessage())
                .contains("disk full")
                .contains(dir.toAbsolutePath().toString())
                .contains("MB free")
                .doesNotContain("no transaction is active");
        assertThat(((StoreFullException) failure).folder()).isEqualTo(dir.toAbsolutePath());
    }

    @Test
    void whatWasCommittedStaysAndWritingWorksAgainOnceThereIsRoom() {
        limitGrowth(4);
        Throwable failure = fill(1);
        assertThat(failure).isInstanceOf(StoreFullException.class);
        long stored = store.reportRows("r1", "train");
        assertThat(stored).isPositive();
        assertThat(store.reports("r1", "train", 0, 100_000))
                .extracting(StoredReport::iteration)
                .as("every report before the failure, none after")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, stored)
                        .boxed()
                        .toList());

        limitGrowth(1_000);
        store.appendReport("r1", "train", stored + 1, train(stored + 1));
        store.updateRun("r1", "training", stored + 1, 0, "", 2_000);

        assertThat(store.reportRows("r1", "train")).isEqualTo(stored + 1);
        assertThat(store.run("r1").orElseThrow().iteration()).isEqualTo(stored + 1);
    }

    @Test
    void aStateChangeKeepsTheStoredIterationAndEpoch() {
        store.updateRun("r1", "training", 30, 2, "", 2_000);

        store.updateState("r1", "failed", "could not start: disk full", 3_000);

        RunRecord run = store.run("r1").orElseThrow();
        assertThat(List.of(run.state(), run.iteration(), run.epoch(), run.message()))
                .containsExactly("failed", 30L, 2, "could not start: disk full");
    }

    @Test
    void theLastStoredIterationCoversEverySplit() {
        assertThat(store.lastIteration("r1")).isZero();
        store.appendReport("r1", "train", 7, train(7));
        store.appendReport("r1", "validation", 9, train(9));

        assertThat(store.lastIteration("r1")).isEqualTo(9);
    }
}
