package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.runs.RunException;
import io.lossprism.store.RunStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compare answer built from a real store: alignment, downsampling, values at an iteration, differences. */
class CompareApiTest {

    private static final String[] CLASSES = {"disc", "bar", "box", "ring", "speck"};

    @TempDir
    Path dir;

    private RunStore store;
    private CompareApi api;

    @BeforeEach
    void twoRuns() {
        store = RunStore.open(dir);
        api = new CompareApi(store);
        store.createRun("a", "{\"training.epochs\":3,\"training.imageSize\":32}", 1);
        store.createRun("b", "{\"training.epochs\":3,\"training.imageSize\":32,\"training.loss\":\"dice\"}", 2);
        for (long i = 1; i <= 200; i++) {
            store.appendReport("a", "train", i, report(i, 1));
            if (i % 2 == 0 && i <= 150) {
                store.appendReport("b", "train", i, report(i, 2));
            }
        }
        store.appendReport("a", "validation", 100, report(100, 1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Class c of run r at iteration i: iou (i + c) / 1000 / r, a spike of 0.9 for speck at 77 in run 1. */
    private static String report(long i, int run) {
        JsonArray classes = new JsonArray();
        for (int c = 0; c < CLASSES.length; c++) {
            double iou = run == 1 && i == 77 && c == 4 ? 0.9 : (i + c) / 1000.0 / run;
            classes.add(new JsonObject()
                    .put("index", c)
                    .put("name", CLASSES[c])
                    .put("iou", c == 3 && i == 10 ? null : iou)
                    .put("dice", 2 * iou / (1 + iou))
                    .put("loss", 1.0 / (i + c) * run));
        }
        return new JsonObject()
                .put("iteration", i)
                .put("loss", 5.0 / i)
                .put("classes", classes)
                .encode();
    }

    @Test
    void seriesShareOneAxisAndTheTableIsAtTheLatestIterationBothReported() {
        JsonObject answer = api.compare(new CompareRequest(List.of("a", "b"), "train", 1000, null));

        assertThat(answer.getLong("latestCommonIteration")).isEqualTo(150);
        assertThat(answer.getLong("at")).isEqualTo(150);
        assertThat(answer.getJsonArray("classes").stream().toList()).containsExactly((Object[]) CLASSES);
        JsonArray axis = answer.getJsonArray("iterations");
        assertThat(axis).hasSize(200);
        JsonObject b = answer.getJsonArray("runs").getJsonObject(1);
        assertThat(b.getString("id")).isEqualTo("b");
        assertThat(b.getLong("latestIteration")).isEqualTo(150);
        assertThat(b.getLong("reports")).isEqualTo(75);
        assertThat(b.getBoolean("downsampled")).isFalse();
        JsonArray bLoss = b.getJsonObject("series").getJsonArray("loss");
        assertThat(bLoss).hasSize(200);
        assertThat(bLoss.getValue(0)).as("b has no report at 1").isNull();
        assertThat(bLoss.getDouble(1)).isEqualTo(5.0 / 2);
        JsonObject ring = answer.getJsonArray("runs")
                .getJsonObject(0)
                .getJsonObject("series")
                .getJsonArray("classes")
                .getJsonObject(3);
        assertThat(ring.getString("name")).isEqualTo("ring");
        assertThat(ring.getJsonArray("iou").getValue(9))
                .as("undefined stays null")
                .isNull();

        JsonObject at = b.getJsonObject("at");
        assertThat(at.getLong("iteration")).isEqualTo(150);
        assertThat(at.getDouble("loss")).isEqualTo(5.0 / 150);
        JsonObject speck = at.getJsonArray("classes").getJsonObject(4);
        assertThat(speck.getString("name")).isEqualTo("speck");
        assertThat(speck.getDouble("iou")).isEqualTo((150 + 4) / 1000.0 / 2);
        assertThat(speck.getDouble("loss")).isEqualTo(1.0 / 154 * 2);

        JsonObject differences = answer.getJsonObject("configDifferences");
        assertThat(differences.fieldNames()).containsExactly("training.loss");
        assertThat(differences.getJsonArray("training.loss").stream().toList()).containsExactly(null, "dice");
        assertThat(b.getJsonObject("config").getString("training.loss")).isEqualTo("dice");
        assertThat(b.getJsonObject("loss").getString("function")).isEqualTo("dice");
    }

    @Test
    void anIterationAskedForTakesEachRunsLastReportAtOrBeforeIt() {
        JsonObject answer = api.compare(new CompareRequest(List.of("a", "b"), "train", 1000, 175L));

        assertThat(answer.getLong("at")).isEqualTo(175);
        assertThat(answer.getLong("latestCommonIteration")).isEqualTo(150);
        JsonArray runs = answer.getJsonArray("runs");
        assertThat(runs.getJsonObject(0).getJsonObject("at").getLong("iteration"))
                .isEqualTo(175);
        assertThat(runs.getJsonObject(1).getJsonObject("at").getLong("iteration"))
                .isEqualTo(150);
        JsonObject before = api.compare(new CompareRequest(List.of("a", "b"), "train", 1000, 1L));
        assertThat(before.getJsonArray("runs").getJsonObject(1).getValue("at"))
                .as("b reported nothing by iteration 1")
                .isNull();
    }

    @Test
    void longSeriesAreDownsampledOnTheServerKeepingTheEndsAndTheSpikes() {
        JsonObject answer = api.compare(new CompareRequest(List.of("a", "b"), "train", 40, null));

        JsonObject a = answer.getJsonArray("runs").getJsonObject(0);
        assertThat(a.getBoolean("downsampled")).isTrue();
        assertThat(a.getLong("reports")).isEqualTo(200);
        JsonArray axis = answer.getJsonArray("iterations");
        JsonArray loss = a.getJsonObject("series").getJsonArray("loss");
        List<Long> kept = new java.util.ArrayList<>();
        for (int i = 0; i < axis.size(); i++) {
            if (loss.getValue(i) != null) {
                kept.add(axis.getLong(i));
            }
        }
        assertThat(kept).hasSizeLessThanOrEqualTo(40).contains(1L, 200L, 77L);
        int spike = -1;
        for (int i = 0; i < axis.size(); i++) {
            spike = axis.getLong(i) == 77 ? i : spike;
        }
        assertThat(a.getJsonObject("series")
                        .getJsonArray("classes")
                        .getJsonObject(4)
                        .getJsonArray("iou")
                        .getDouble(spike))
                .isEqualTo(0.9);
        assertThat(a.getJsonObject("at").getLong("iteration"))
                .as("the table reads the full series, not the kept points")
                .isEqualTo(150);
    }

    @Test
    void aSplitWithoutReportsHasNoCommonIteration() {
        JsonObject answer = api.compare(new CompareRequest(List.of("a", "b"), "validation", 1000, null));

        assertThat(answer.getValue("latestCommonIteration")).isNull();
        assertThat(answer.getValue("at")).isNull();
        JsonObject b = answer.getJsonArray("runs").getJsonObject(1);
        assertThat(b.getValue("latestIteration")).isNull();
        assertThat(b.getJsonObject("series").getJsonArray("classes")).isEmpty();
        assertThat(answer.getJsonArray("iterations").stream().toList()).containsExactly(100L);
    }

    @Test
    void anUnknownRunIs404NamingIt() {
        assertThatThrownBy(() -> api.compare(new CompareRequest(List.of("a", "zz"), "train", 1000, null)))
                .isInstanceOf(RunException.class)
                .hasMessageContaining("'zz'")
                .satisfies(e -> assertThat(((RunException) e).status()).isEqualTo(404));
    }
}
