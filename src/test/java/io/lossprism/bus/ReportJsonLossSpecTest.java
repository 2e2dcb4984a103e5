package io.lossprism.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec.DiceMode;
import io.lossprism.objective.Objective;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch report says which loss it decomposes, with the parameters that loss uses and no others. */
class ReportJsonLossSpecTest {

    private static BatchReport report(Objective objective) {
        return new BatchReport(
                "run-1", BatchReport.VERSION, "train", 0, 1, 0, 16, "dl4j", 1.5, 1.5, 0.01, 10, List.of(), objective);
    }

    @Test
    void bceDiceCarriesBothPartsAndTheirWeights() {
        Objective objective = Objective.dl4j(
                LossFunction.BCE_DICE,
                new double[] {1, 2},
                new double[] {1, 30},
                2,
                Double.NaN,
                DiceMode.MACRO,
                0.5,
                0.25,
                2);

        JsonObject spec = ReportJson.batch(report(objective)).getJsonObject("lossSpec");

        assertThat(spec.fieldNames())
                .containsExactlyInAnyOrder(
                        "function",
                        "convention",
                        "fromLogits",
                        "formula",
                        "classWeights",
                        "posWeight",
                        "clipEpsilon",
                        "dice",
                        "smooth",
                        "weights");
        assertThat(spec.getString("function")).isEqualTo("bce_dice");
        assertThat(spec.getString("convention")).isEqualTo("dl4j");
        assertThat(spec.getJsonArray("posWeight").stream().toList()).containsExactly(1.0, 30.0);
        assertThat(spec.getString("dice")).isEqualTo("macro");
        assertThat(spec.getDouble("smooth")).isEqualTo(0.5);
        assertThat(spec.getJsonObject("weights").getDouble("crossEntropy")).isEqualTo(0.25);
        assertThat(spec.getJsonObject("weights").getDouble("dice")).isEqualTo(2.0);
        assertThat(spec.getString("formula"))
                .startsWith("0.25 * sum w_c [q_c y")
                .contains("2 * (1 - mean_c");
    }

    @Test
    void focalWithoutBalancingHasANullAlpha() {
        Objective objective = Objective.dl4j(
                LossFunction.FOCAL, new double[] {1, 1}, new double[] {1, 1}, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1);

        JsonObject spec = ReportJson.batch(report(objective)).getJsonObject("lossSpec");

        assertThat(spec.fieldNames()).contains("gamma", "alpha").doesNotContain("dice", "smooth", "weights");
        assertThat(spec.getValue("alpha")).isNull();
        assertThat(spec.getDouble("gamma")).isEqualTo(2.0);
    }

    @Test
    void diceHasNoCrossEntropyFields() {
        Objective objective = Objective.dl4j(
                LossFunction.DICE, new double[] {1}, new double[] {1}, 2, Double.NaN, DiceMode.MICRO, 1, 1, 1);

        JsonObject spec = ReportJson.batch(report(objective)).getJsonObject("lossSpec");

        assertThat(spec.fieldNames()).doesNotContain("classWeights", "posWeight", "gamma", "weights");
        assertThat(spec.getString("formula")).isEqualTo("1 - (2 sum y p + s) / (sum y + sum p + s)");
    }

    @Test
    void aReportWithoutASpecOmitsIt() {
        assertThat(ReportJson.batch(report(null)).containsKey("lossSpec")).isFalse();
    }
}
