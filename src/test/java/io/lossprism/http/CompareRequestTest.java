package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.runs.RunException;
import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareRequestTest {

    private static MultiMap params(String... pairs) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            map.add(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static void refused(MultiMap params, String message) {
        assertThatThrownBy(() -> CompareRequest.parse(params))
                .isInstanceOf(RunException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(((RunException) e).status()).isEqualTo(400));
    }

    @Test
    void defaultsAndGivenValues() {
        assertThat(CompareRequest.parse(params("runs", "a, b")))
                .isEqualTo(new CompareRequest(List.of("a", "b"), "train", CompareRequest.DEFAULT_POINTS, null));
        assertThat(CompareRequest.parse(params("runs", "a,b,c", "split", "validation", "points", "80", "at", "12")))
                .isEqualTo(new CompareRequest(List.of("a", "b", "c"), "validation", 80, 12L));
    }

    @Test
    void twoToSixDistinctRunsAndValidParameters() {
        refused(params(), "runs: give 2 to 6 run ids");
        refused(params("runs", "a"), "runs: compare 2 to 6 runs, got 1 ids");
        refused(params("runs", "a,b,c,d,e,f,g"), "runs: compare 2 to 6 runs, got 7 ids");
        refused(params("runs", "a,,b"), "runs: an empty id");
        refused(params("runs", "a,b,a"), "runs: run 'a' is named twice");
        refused(params("runs", "a,b", "split", "test"), "split: must be train or validation, got 'test'");
        refused(params("runs", "a,b", "points", "1"), "points: must be an integer from 2 to 10000, got '1'");
        refused(params("runs", "a,b", "at", "-3"), "at: must be an integer from 0");
        assertThat(CompareRequest.parse(params("runs", "a,b,c,d,e,f")).runs()).hasSize(6);
    }
}
