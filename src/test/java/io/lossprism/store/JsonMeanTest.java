package io.lossprism.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonMeanTest {

    private static JsonObject json(String text) {
        return new JsonObject(text);
    }

    @Test
    void averagesTopLevelNumbers() {
        JsonObject mean = JsonMean.of(
                List.of(json("{\"a\":1,\"b\":0.5}"), json("{\"a\":2,\"b\":1.5}"), json("{\"a\":6,\"b\":1.0}")));

        assertThat(mean.getDouble("a")).isEqualTo(3.0);
        assertThat(mean.getDouble("b")).isEqualTo(1.0);
    }

    @Test
    void averagesNestedObjectsByKeyAndArraysByIndex() {
        JsonObject mean = JsonMean.of(List.of(
                json("{\"classes\":[{\"iou\":0.2,\"tp\":10},{\"iou\":0.9,\"tp\":3}],\"iouAvg\":{\"micro\":0.4}}"),
                json("{\"classes\":[{\"iou\":0.4,\"tp\":20},{\"iou\":0.7,\"tp\":4}],\"iouAvg\":{\"micro\":0.6}}")));

        JsonArray classes = mean.getJsonArray("classes");
        assertThat(classes.getJsonObject(0).getDouble("iou")).isCloseTo(0.3, within(1e-12));
        assertThat(classes.getJsonObject(0).getDouble("tp")).isEqualTo(15.0);
        assertThat(classes.getJsonObject(1).getDouble("iou")).isCloseTo(0.8, within(1e-12));
        assertThat(classes.getJsonObject(1).getDouble("tp")).isEqualTo(3.5);
        assertThat(mean.getJsonObject("iouAvg").getDouble("micro")).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void leavesNullsOutOfTheMeanAndKeepsNullWhenAllAreNull() {
        // A rare class absent from a batch has an undefined IoU: it must not count as 0.
        JsonObject mean = JsonMean.of(List.of(
                json("{\"iou\":0.2,\"dice\":null}"),
                json("{\"iou\":null,\"dice\":null}"),
                json("{\"iou\":0.6,\"dice\":null}")));

        assertThat(mean.getDouble("iou")).isCloseTo(0.4, within(1e-12));
        assertThat(mean.containsKey("dice")).isTrue();
        assertThat(mean.getValue("dice")).isNull();
    }

    @Test
    void missingFieldsAndShorterArraysCountAsAbsent() {
        JsonObject mean = JsonMean.of(List.of(json("{\"x\":[1,2]}"), json("{\"x\":[3],\"y\":5}")));

        assertThat(mean.getJsonArray("x").stream().toList()).containsExactly(2.0, 2);
        assertThat(mean.getInteger("y")).isEqualTo(5);
    }

    @Test
    void takesNonNumericFieldsFromTheLastObjectThatHasThem() {
        JsonObject mean = JsonMean.of(List.of(
                json("{\"split\":\"train\",\"ok\":false,\"note\":\"a\",\"v\":1}"),
                json("{\"split\":\"train2\",\"ok\":true,\"note\":null,\"v\":\"n/a\"}")));

        assertThat(mean.getString("split")).isEqualTo("train2");
        assertThat(mean.getBoolean("ok")).isTrue();
        assertThat(mean.getString("note")).isEqualTo("a");
        assertThat(mean.getValue("v")).isEqualTo("n/a");
    }

    @Test
    void equalNumbersKeepTheirValueAndType() {
        JsonObject mean = JsonMean.of(
                List.of(json("{\"index\":3,\"big\":1700000000123}"), json("{\"index\":3,\"big\":1700000000123}")));

        assertThat(mean.getValue("index")).isEqualTo(3);
        assertThat(mean.getLong("big")).isEqualTo(1700000000123L);
        assertThat(mean.encode()).isEqualTo("{\"index\":3,\"big\":1700000000123}");
    }

    @Test
    void keysFollowTheLastObjectThenEarlierOnes() {
        JsonObject mean = JsonMean.of(List.of(json("{\"old\":1,\"b\":1,\"a\":1}"), json("{\"a\":3,\"b\":3}")));

        assertThat(mean.fieldNames()).containsExactly("a", "b", "old");
    }

    @Test
    void oneObjectIsItsOwnMeanAndNoObjectIsAnError() {
        String text = "{\"loss\":0.25,\"classes\":[{\"iou\":null,\"name\":\"speck\"}]}";

        assertThat(JsonMean.of(List.of(json(text))).encode()).isEqualTo(text);
        assertThatThrownBy(() -> JsonMean.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
