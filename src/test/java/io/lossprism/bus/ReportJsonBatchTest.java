package io.lossprism.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch message carries the values of all classes together, so the page only shows them. */
class ReportJsonBatchTest {

    private static final double TIGHT = 1e-12;

    /**
     * Four classes over 12 pixels: a found perfectly (3 positives), b missed (1 positive), c absent and
     * not predicted, d absent but predicted twice.
     */
    private static final List<ClassReport> CLASSES = List.of(
            cls(0, "a", 3, 0, 0, 9, 0.2),
            cls(1, "b", 0, 0, 1, 11, 1.0),
            cls(2, "c", 0, 0, 0, 12, Double.NaN),
            cls(3, "d", 0, 2, 0, 10, Double.NaN));

    private static ClassReport cls(
            int index, String name, long tp, long fp, long fn, long tn, double meanPositiveLoss) {
        double iou = tp + fp + fn == 0 ? Double.NaN : (double) tp / (tp + fp + fn);
        double dice = tp + fp + fn == 0 ? Double.NaN : 2.0 * tp / (2 * tp + fp + fn);
        return new ClassReport(
                index,
                name,
                0.1,
                0.05,
                0.05,
                meanPositiveLoss,
                0.01,
                (tp + fn) / 12.0,
                tp,
                fp,
                fn,
                tn,
                iou,
                dice,
                Double.NaN,
                Double.NaN);
    }

    private static JsonObject batch(List<ClassReport> classes) {
        return ReportJson.batch(new BatchReport(
                "run-1",
                BatchReport.VERSION,
                "train",
                0,
                7,
                1_700_000_000_000L,
                1,
                "dl4j",
                0.4,
                0.4,
                0.01,
                25,
                classes));
    }

    @Test
    void carriesTheProtocolFields() {
        assertThat(batch(CLASSES).fieldNames())
                .containsExactlyInAnyOrder(
                        "type",
                        "version",
                        "run",
                        "split",
                        "epoch",
                        "iteration",
                        "timestamp",
                        "images",
                        "convention",
                        "loss",
                        "reportedLoss",
                        "residual",
                        "meanElementLoss",
                        "meanPositiveLoss",
                        "imagesPerSecond",
                        "iou",
                        "dice",
                        "classes");
        assertThat(batch(CLASSES).getString("run")).isEqualTo("run-1");
    }

    @Test
    void iouAveragesPoolSkipAndWeightAsDocumented() {
        JsonObject iou = batch(CLASSES).getJsonObject("iou");
        assertThat(iou.fieldNames()).containsExactlyInAnyOrder("micro", "macro", "frequencyWeighted");
        assertThat(iou.getDouble("micro")).isCloseTo(3.0 / (3 + 2 + 1), within(TIGHT)); // pooled counts
        assertThat(iou.getDouble("macro")).isCloseTo((1.0 + 0 + 0) / 3, within(TIGHT)); // c left out, d counts 0
        assertThat(iou.getDouble("frequencyWeighted")).isCloseTo((3 * 1.0 + 1 * 0) / 4, within(TIGHT));
    }

    @Test
    void diceAveragesFollowTheSameRules() {
        JsonObject dice = batch(CLASSES).getJsonObject("dice");
        assertThat(dice.getDouble("micro")).isCloseTo(2.0 * 3 / (2 * 3 + 2 + 1), within(TIGHT));
        assertThat(dice.getDouble("macro")).isCloseTo(1.0 / 3, within(TIGHT));
        assertThat(dice.getDouble("frequencyWeighted")).isCloseTo(3.0 / 4, within(TIGHT));
    }

    @Test
    void meanPositiveLossIsWeightedByEachClassesPositives() {
        assertThat(batch(CLASSES).getDouble("meanPositiveLoss")).isCloseTo((3 * 0.2 + 1 * 1.0) / 4, within(TIGHT));
    }

    @Test
    void averagesOfClassesThatAreAllAbsentAreNullNotZero() {
        JsonObject json = batch(List.of(cls(0, "a", 0, 0, 0, 12, Double.NaN), cls(1, "b", 0, 0, 0, 12, Double.NaN)));
        for (String metric : List.of("iou", "dice")) {
            JsonObject averages = json.getJsonObject(metric);
            assertThat(averages.containsKey("micro")).isTrue();
            assertThat(averages.getValue("micro")).isNull();
            assertThat(averages.getValue("macro")).isNull();
            assertThat(averages.getValue("frequencyWeighted")).isNull();
        }
        assertThat(json.getValue("meanPositiveLoss")).isNull();
    }
}
