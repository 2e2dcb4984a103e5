package io.lossprism.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainingBenchmarkTest {

    @Test
    void medianOfAnOddCountIsTheMiddleStep() {
        assertThat(TrainingBenchmark.median(new long[] {9, 1, 5, 300, 4})).isEqualTo(5);
    }

    @Test
    void medianOfAnEvenCountIsTheUpperMiddleStepAsTheReferenceScriptsTakeIt() {
        // keras_unet.py and torch_unet.py: sorted(ts)[len(ts) // 2]
        assertThat(TrainingBenchmark.median(new long[] {8, 2, 6, 4})).isEqualTo(6);
    }

    @Test
    void medianLeavesTheStepsInTheirOrder() {
        long[] steps = {3, 1, 2};
        TrainingBenchmark.median(steps);
        assertThat(steps).containsExactly(3, 1, 2);
    }
}
