package io.lossprism.http;

import static io.lossprism.http.TestReports.batch;
import static io.lossprism.http.TestReports.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportHistoryTest {

    private final ReportHistory history = new ReportHistory();

    @Test
    void sinceIsExclusiveOrderedAndPerSplit() {
        for (long i = 1; i <= 5; i++) {
            add(batch("train", i));
        }
        add(batch("validation", 5));

        HistorySlice slice = history.since("train", 2, 2000);
        assertThat(iterations(slice)).containsExactly(3L, 4L, 5L);
        assertThat(slice.total()).isEqualTo(3);
        assertThat(slice.downsampled()).isFalse();
        assertThat(slice.after()).isEqualTo(2);
        assertThat(history.last("train")).isEqualTo(5);
        assertThat(history.last("validation")).isEqualTo(5);
        assertThat(iterations(history.since("validation", 0, 2000))).containsExactly(5L);
        assertThat(history.since("train", 5, 2000).reports()).isEmpty();
    }

    @Test
    void anUnknownSplitIsEmpty() {
        HistorySlice slice = history.since("validation", 7, 2000);
        assertThat(slice).isEqualTo(new HistorySlice("validation", 7, 0, false, List.of()));
        assertThat(history.last("validation")).isZero();
    }

    @Test
    void storedReportsMayComeOutOfOrderAndReplaceTheirIteration() {
        history.add("train", 3, json(batch("train", 3)));
        history.add("train", 1, json(batch("train", 1)));
        history.add("train", 2, json(batch("train", 2)));
        history.add("train", 2, json(batch("train", 2, 42, 0.5)));
        HistorySlice slice = history.since("train", 0, 2000);
        assertThat(iterations(slice)).containsExactly(1L, 2L, 3L);
        assertThat(new JsonObject(slice.reports().get(1)).getDouble("loss")).isEqualTo(42);
    }

    @Test
    void aLargeRangeIsDownsampledKeepingEndsAndASpike() {
        for (long i = 1; i <= 5000; i++) {
            // a bump to ten times its neighbours, far from the loss's global extremes: a bucket maximum
            add(i == 3333 ? batch("train", i, 0.003, 0.5) : batch("train", i));
        }
        HistorySlice slice = history.since("train", 100, 500);
        assertThat(slice.total()).isEqualTo(4900);
        assertThat(slice.downsampled()).isTrue();
        assertThat(slice.reports()).hasSizeLessThanOrEqualTo(500).hasSizeGreaterThan(100);
        assertThat(iterations(slice)).contains(101L, 3333L, 5000L).isSorted();
    }

    @Test
    void seriesAreReadFromStoredJsonLikeFromReports() {
        // the only thing that marks iteration 777 is the rare class's IoU, in stored JSON
        for (long i = 1; i <= 3000; i++) {
            history.add("train", i, json(batch("train", i, 0.2, i == 777 ? 0.99 : 0.5)));
        }
        assertThat(iterations(history.since("train", 0, 100))).contains(777L);

        BatchReport undefined = batch("train", 1, Double.POSITIVE_INFINITY, Double.NaN);
        assertThat(ReportSeries.of(ReportJson.batch(undefined))).containsExactly(ReportSeries.of(undefined));
        assertThat(ReportSeries.of(undefined)[0]).isNaN();
        assertThat(ReportSeries.of(undefined)).hasSize(26);
    }

    @Test
    void staysUnderItsCapWithOlderStretchesCoarser() {
        ReportHistory capped = new ReportHistory(200);
        for (long i = 1; i <= 1000; i++) {
            BatchReport report = i == 150 ? batch("train", i, 50, 0.5) : batch("train", i);
            capped.add(report, json(report));
            assertThat(capped.size("train")).isLessThanOrEqualTo(200);
        }
        List<Long> kept = iterations(capped.since("train", 0, Integer.MAX_VALUE));
        assertThat(kept).contains(1L, 150L, 1000L);
        long old = kept.stream().filter(i -> i <= 500).count();
        long recent = kept.stream().filter(i -> i > 900).count();
        assertThat(recent / 100.0).isGreaterThan(2 * old / 500.0);
    }

    @Test
    void clearForgetsTheRunAndBadJsonIsRefused() {
        add(batch("train", 1));
        history.clear();
        assertThat(history.size("train")).isZero();
        assertThat(history.last("train")).isZero();
        assertThatThrownBy(() -> history.add("train", 1, "not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.add("train", 1, "[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReportHistory(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theGenerationChangesOnlyWhenReportsAlreadyHeldChange() {
        for (long i = 1; i <= 10; i += 2) {
            add(batch("train", i));
        }
        long appended = history.generation();
        add(batch("train", 11));
        add(batch("validation", 11));
        assertThat(history.generation()).as("appends").isEqualTo(appended);
        assertThat(history.countAfter("train", 5)).isEqualTo(3); // 7, 9, 11
        assertThat(history.countAfter("validation", 11)).isZero();
        assertThat(history.countAfter("test", 0)).isZero();

        history.add("train", 3, json(batch("train", 3, 9, 0.5)));
        long replaced = history.generation();
        assertThat(replaced).as("a replaced report").isNotEqualTo(appended);
        add(batch("train", 4));
        long inserted = history.generation();
        assertThat(inserted).as("a report inserted before others").isNotEqualTo(replaced);
        history.clear();
        assertThat(history.generation()).as("cleared").isNotEqualTo(inserted);

        ReportHistory capped = new ReportHistory(10);
        for (long i = 1; i <= 10; i++) {
            capped.add(batch("train", i), json(batch("train", i)));
        }
        long full = capped.generation();
        capped.add(batch("train", 11), json(batch("train", 11)));
        assertThat(capped.generation()).as("thinned").isNotEqualTo(full);
    }

    private void add(BatchReport report) {
        history.add(report, json(report));
    }

    private static List<Long> iterations(HistorySlice slice) {
        return slice.reports().stream()
                .map(r -> new JsonObject(r).getLong("iteration"))
                .toList();
    }
}
