package io.lossprism.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportMergeTest {

    @Test
    void meanAtTheLastPositionWithCountAndLossRange() {
        JsonObject merged = new JsonObject(ReportMerge.merge(List.of(
                "{\"split\":\"train\",\"iteration\":11,\"epoch\":0,\"timestamp\":1000,\"loss\":0.5}",
                "{\"split\":\"train\",\"iteration\":12,\"epoch\":0,\"timestamp\":1100,\"loss\":0.2}",
                "{\"split\":\"train\",\"iteration\":13,\"epoch\":1,\"timestamp\":1300,\"loss\":0.8}")));

        assertThat(merged.getLong("iteration")).isEqualTo(13);
        assertThat(merged.getInteger("epoch")).isEqualTo(1);
        assertThat(merged.getLong("timestamp")).isEqualTo(1300);
        assertThat(merged.getDouble("loss")).isCloseTo(0.5, within(1e-12));
        assertThat(merged.getInteger("merged")).isEqualTo(3);
        assertThat(merged.getDouble("lossMin")).isEqualTo(0.2);
        assertThat(merged.getDouble("lossMax")).isEqualTo(0.8);
        assertThat(merged.getInteger("lossUndefined")).isZero();
        assertThat(merged.getString("split")).isEqualTo("train");
    }

    @Test
    void undefinedLossesAreCountedNotAveraged() {
        JsonObject merged = new JsonObject(
                ReportMerge.merge(List.of("{\"iteration\":1,\"loss\":null}", "{\"iteration\":2,\"loss\":0.4}")));

        assertThat(merged.getDouble("loss")).isEqualTo(0.4);
        assertThat(merged.getDouble("lossMin")).isEqualTo(0.4);
        assertThat(merged.getInteger("lossUndefined")).isEqualTo(1);

        JsonObject allUndefined =
                new JsonObject(ReportMerge.merge(List.of("{\"iteration\":1,\"loss\":null}", "{\"iteration\":2}")));
        assertThat(allUndefined.getValue("loss")).isNull();
        assertThat(allUndefined.getValue("lossMin")).isNull();
        assertThat(allUndefined.getValue("lossMax")).isNull();
        assertThat(allUndefined.getInteger("lossUndefined")).isEqualTo(2);
    }
}
