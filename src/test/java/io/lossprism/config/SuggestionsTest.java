package io.lossprism.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("training.imageSize", "training.seed", "data.seed", "training");

    @Test
    void editDistance() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }

    @Test
    void prefersCaseInsensitiveAndSameLeafMatches() {
        assertThat(Suggestions.closest("TRAINING.IMAGESIZE", KEYS)).contains("training.imageSize");
        assertThat(Suggestions.closest("imageSize", KEYS)).contains("training.imageSize");
        assertThat(Suggestions.closest("seed", KEYS)).contains("data.seed");
    }

    @Test
    void typosWithinASmallDistance() {
        assertThat(Suggestions.closest("training.imgSize", KEYS)).contains("training.imageSize");
        assertThat(Suggestions.closest("trainig", KEYS)).contains("training");
        assertThat(Suggestions.closest("zzz.qqq", KEYS)).isEmpty();
    }
}
