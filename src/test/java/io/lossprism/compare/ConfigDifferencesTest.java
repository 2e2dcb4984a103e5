package io.lossprism.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDifferencesTest {

    @Test
    void onlyKeysWhoseValuesDifferAreListedWithEveryRunsValue() {
        Map<String, Object> a = Map.of(
                "training.loss",
                "bce",
                "training.epochs",
                3,
                "training.learningRate",
                0.001,
                "training.posWeight",
                List.of(1, 2.5));
        Map<String, Object> b = Map.of(
                "training.loss",
                "bce_dice",
                "training.epochs",
                3.0,
                "training.learningRate",
                0.001,
                "training.posWeight",
                List.of(1.0, 2.5),
                "model.depth",
                3);

        Map<String, List<Object>> differences = ConfigDifferences.of(List.of(a, b));

        assertThat(differences).containsOnlyKeys("model.depth", "training.loss");
        assertThat(differences.get("training.loss")).containsExactly("bce", "bce_dice");
        assertThat(differences.get("model.depth")).containsExactly(null, 3);
        assertThat(List.copyOf(differences.keySet())).isSorted();
    }

    @Test
    void aKeyDiffersWhenAnyRunDiffersFromTheFirst() {
        Map<String, Object> third = new HashMap<>();
        third.put("training.posWeight", Arrays.asList(1, 3));
        Map<String, List<Object>> differences = ConfigDifferences.of(List.of(
                Map.of("training.posWeight", List.of(1, 2)), Map.of("training.posWeight", List.of(1, 2)), third));

        assertThat(differences.get("training.posWeight"))
                .containsExactly(List.of(1, 2), List.of(1, 2), Arrays.asList(1, 3));
    }

    @Test
    void sameComparesNumbersByValueAndContainersElementByElement() {
        assertThat(ConfigDifferences.same(1, 1.0)).isTrue();
        assertThat(ConfigDifferences.same(1L, 2)).isFalse();
        assertThat(ConfigDifferences.same(List.of(1, 2), List.of(1, 2, 3))).isFalse();
        assertThat(ConfigDifferences.same(Map.of("a", 1), Map.of("a", 1.0))).isTrue();
        assertThat(ConfigDifferences.same(Map.of("a", 1), Map.of("b", 1))).isFalse();
        assertThat(ConfigDifferences.same("1", 1)).isFalse();
        assertThat(ConfigDifferences.same(null, null)).isTrue();
        assertThat(ConfigDifferences.of(List.of(Map.of("a", 1), Map.of("a", 1))))
                .isEmpty();
    }
}
