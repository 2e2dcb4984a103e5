package io.lossprism.http;

import static io.lossprism.http.TestReports.batch;
import static io.lossprism.http.TestReports.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.BatchReport;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpeningHistoryTest {

    private final ReportHistory history = new ReportHistory();
    private final OpeningHistory openings = new OpeningHistory(history, 500);

    @Test
    void oneSnapshotServesEveryClientWhileItIsFresh() {
        appendTrain(1, 3000);
        OpeningHistory.Snapshot first = openings.of("train");
        assertThat(first.last()).isEqualTo(3000);
        assertThat(text(first.message())).isEqualTo(FeedMessages.history(history.since("train", 0, 500)));
        for (int client = 0; client < 100; client++) {
            assertThat(openings.of("train")).isSameAs(first);
        }
        assertThat(openings.builds()).isEqualTo(1);

        appendTrain(3001, 3000 + OpeningHistory.MAX_TAIL);
        assertThat(openings.of("train")).as("a short tail is sent apart").isSameAs(first);
        appendTrain(3001 + OpeningHistory.MAX_TAIL, 3001 + OpeningHistory.MAX_TAIL);
        OpeningHistory.Snapshot second = openings.of("train");
        assertThat(second).as("too far behind").isNotSameAs(first);
        assertThat(second.last()).isEqualTo(3001 + OpeningHistory.MAX_TAIL);
        assertThat(openings.builds()).isEqualTo(2);
    }

    @Test
    void aChangeToReportsAlreadyHeldMakesANewSnapshot() {
        appendTrain(1, 100);
        OpeningHistory.Snapshot before = openings.of("train");
        history.add("train", 50, json(batch("train", 50, 123, 0.5)));
        OpeningHistory.Snapshot after = openings.of("train");
        assertThat(after).isNotSameAs(before);
        assertThat(new JsonObject(text(after.message())).getJsonArray("loss").getDouble(49))
                .isEqualTo(123);

        history.clear();
        OpeningHistory.Snapshot empty = openings.of("train");
        assertThat(empty.last()).isZero();
        assertThat(text(empty.message())).isEqualTo(FeedMessages.history(history.since("train", 0, 500)));
    }

    @Test
    void splitsHaveTheirOwnSnapshots() {
        appendTrain(1, 10);
        OpeningHistory.Snapshot validation = openings.of("validation");
        assertThat(validation.last()).isZero();
        assertThat(text(validation.message())).contains("\"split\":\"validation\"", "\"iteration\":[]");
        assertThat(openings.of("train").last()).isEqualTo(10);
        assertThat(openings.of("validation")).isSameAs(validation);
    }

    @Test
    void sharedTextKeepsEveryByteWhateverItStartsWith() {
        for (String text : new String[] {
            "",
            "{}",
            "{\"type\":\"history\",\"split\":\"train\"}",
            "\u00e9t\u00e9 \u2713",
            "x".repeat(3 * SharedText.FRAME_BYTES + 5)
        }) {
            SharedText shared = SharedText.of(text);
            assertThat(text(shared)).isEqualTo(text);
            assertThat(shared.bytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private void appendTrain(long from, long to) {
        for (long i = from; i <= to; i++) {
            BatchReport report = batch("train", i);
            history.add(report, json(report));
        }
    }

    private static String text(SharedText shared) {
        return shared.head() + shared.body().toString(StandardCharsets.UTF_8);
    }
}
