package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.compare.ConfigDifferences;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareConfigsTest {

    @Test
    void aValueSpelledOutIsTheSameAsTheDefaultLeftOut() {
        Map<String, Object> spelled =
                Map.of("training.loss", "bce", "training.learningRate", 0.001, "training.epochs", 3);
        Map<String, Object> left = Map.of("training.epochs", 5);

        List<Map<String, Object>> filled = CompareConfigs.filled(List.of(spelled, left));

        assertThat(filled.get(1))
                .containsEntry("training.loss", "bce")
                .containsEntry("training.learningRate", 0.001)
                .containsEntry("training.epochs", 5);
        assertThat(ConfigDifferences.of(filled)).containsOnlyKeys("training.epochs");
    }

    @Test
    void aKeyStaysMissingWhenNoOtherRunsValueIsTheDefault() {
        Map<String, Object> dice = Map.of("training.loss", "dice", "training.posWeight", List.of(1, 1, 1, 1, 4));
        Map<String, Object> plain = Map.of();

        List<Map<String, Object>> filled = CompareConfigs.filled(List.of(dice, plain));

        assertThat(filled.get(1)).doesNotContainKeys("training.loss", "training.posWeight");
        assertThat(ConfigDifferences.of(filled)).containsOnlyKeys("training.loss", "training.posWeight");
    }

    @Test
    void valuesThatNoLongerBindAreLeftAsStored() {
        Map<String, Object> old = Map.of("training.removedKey", 1);
        Map<String, Object> now = Map.of("training.loss", "bce");

        List<Map<String, Object>> filled = CompareConfigs.filled(List.of(old, now));

        assertThat(filled.get(0)).isEqualTo(old);
        assertThat(ConfigDifferences.of(filled)).containsOnlyKeys("training.loss", "training.removedKey");
    }
}
