package io.lossprism.http;

import static io.lossprism.http.TestReports.batch;
import static io.lossprism.http.TestReports.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.BatchReport;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpeningHistoryTest {

    private final ReportHistory history = new ReportHistory();
    private final OpeningHistory openings = new OpeningHistory(history, 500);

    @Test
    void oneSnapshotServesEveryClientWhileItIsFresh() {
        appendTrain(1, 3000);
        OpeningHistory.Snapshot first = openings.ready("train");
        assertThat(first.last()).isEqualTo(3000);
        assertThat(text(first.message())).isEqualTo(FeedMessages.history(history.since("train", 0, 500)));
        for (int client = 0; client < 100; client++) {
            assertThat(openings.ready("train")).isSameAs(first);
        }
        assertThat(openings.builds()).isEqualTo(1);

        appendTrain(3001, 3000 + OpeningHistory.MAX_TAIL);
        assertThat(openings.ready("train")).as("a short tail is sent apart").isSameAs(first);
        appendTrain(3001 + OpeningHistory.MAX_TAIL, 3001 + OpeningHistory.MAX_TAIL);
        OpeningHistory.Snapshot second = openings.ready("train");
        assertThat(second).as("too far behind").isNotSameAs(first);
        assertThat(second.last()).isEqualTo(3001 + OpeningHistory.MAX_TAIL);
        assertThat(openings.builds()).isEqualTo(2);
    }

    @Test
    void aChangeToReportsAlreadyHeldMakesANewSnapshot() {
        appendTrain(1, 100);
        OpeningHistory.Snapshot before = openings.ready("train");
        history.add("train", 50, json(batch("train", 50, 123, 0.5)));
        OpeningHistory.Snapshot after = openings.ready("train");
        assertThat(after).isNotSameAs(before);
        assertThat(new JsonObject(text(after.message())).getJsonArray("loss").getDouble(49))
                .isEqualTo(123);

        history.clear();
        OpeningHistory.Snapshot empty = openings.ready("train");
        assertThat(empty.last()).isZero();
        assertThat(text(empty.message())).isEqualTo(FeedMessages.history(history.since("train", 0, 500)));
    }

    @Test
    void splitsHaveTheirOwnSnapshots() {
        appendTrain(1, 10);
        OpeningHistory.Snapshot validation = openings.ready("validation");
        assertThat(validation.last()).isZero();
        assertThat(text(validation.message())).contains("\"split\":\"validation\"", "\"iteration\":[]");
        assertThat(openings.ready("train").last()).isEqualTo(10);
        assertThat(openings.ready("validation")).isSameAs(validation);
    }

    @Test
    void buildsRunOnTheWorkerAndTheHeldSnapshotIsServedMeanwhile() {
        List<Runnable> queued = new ArrayList<>();
        int[] built = {0};
        OpeningHistory.Worker later = (work, done, failed) -> queued.add(() -> {
            try {
                done.accept(work.call());
            } catch (Exception e) {
                failed.accept(e);
            }
        });
        OpeningHistory deferred = new OpeningHistory(history, 500, later, () -> built[0]++);
        appendTrain(1, 1000);
        assertThat(deferred.ready("train"))
                .as("the first client waits for the first build")
                .isNull();
        assertThat(deferred.ready("train")).isNull();
        assertThat(queued).as("one build, however many ask").hasSize(1);
        appendTrain(1001, 1010); // reports added while it builds: its copy was taken before
        queued.remove(0).run();
        assertThat(built[0]).isEqualTo(1);
        OpeningHistory.Snapshot first = deferred.ready("train");
        assertThat(first.last()).isEqualTo(1000);
        JsonObject message = new JsonObject(text(first.message()));
        assertThat(message.getInteger("total"))
                .as("the reports held when the build began")
                .isEqualTo(1000);
        assertThat(message.getJsonObject("last").getLong("iteration")).isEqualTo(1000);
        SharedText tail = deferred.tail("train", first);
        assertThat(text(tail)).isEqualTo(FeedMessages.history(history.since("train", 1000, 500)));
        assertThat(deferred.tail("train", first))
                .as("shared until the history grows")
                .isSameAs(tail);
        assertThat(queued).isEmpty();

        appendTrain(1011, 1000 + OpeningHistory.MAX_TAIL + 1);
        assertThat(deferred.ready("train"))
                .as("stale: served while the next is built")
                .isSameAs(first);
        assertThat(queued).hasSize(1);
        assertThat(deferred.tail("train", first)).isNotSameAs(tail);
        queued.remove(0).run();
        assertThat(deferred.ready("train").last()).isEqualTo(1000 + OpeningHistory.MAX_TAIL + 1);
        assertThat(deferred.tail("train", deferred.ready("train"))).isNull();

        history.add("train", 5, json(batch("train", 5, 9, 0.5))); // a report held changed
        assertThat(deferred.ready("train"))
                .as("nothing of another generation is served")
                .isNull();
        history.add("train", 6, json(batch("train", 6, 9, 0.5))); // and again, while that build runs
        queued.remove(0).run();
        assertThat(deferred.ready("train"))
                .as("built from an older generation: discarded")
                .isNull();
        queued.remove(0).run();
        assertThat(deferred.ready("train")).isNotNull();
        assertThat(deferred.builds()).isEqualTo(4);
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
        return shared.body().toString(StandardCharsets.UTF_8);
    }
}
