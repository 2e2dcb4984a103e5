package io.lossprism.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlignmentTest {

    private static RunSeries run(long... iterations) {
        RunSeries.Builder builder = RunSeries.builder(List.of("disc"));
        for (long i : iterations) {
            builder.add(i, i / 10.0, List.of(new ClassPoint("disc", i / 100.0, 0, 0)));
        }
        return builder.build();
    }

    @Test
    void theAxisIsEveryIterationOnceAndEachRunHasGapsWhereItDidNotReport() {
        RunSeries a = run(1, 2, 3, 5);
        RunSeries b = run(2, 4, 5, 6);

        long[] axis = Alignment.axis(List.of(a, b));

        assertThat(axis).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(Alignment.onAxis(axis, a, a.loss())).containsExactly(0.1, 0.2, 0.3, Double.NaN, 0.5, Double.NaN);
        assertThat(Alignment.onAxis(axis, b, b.values(Metric.IOU, 0)))
                .containsExactly(Double.NaN, 0.02, Double.NaN, 0.04, 0.05, 0.06);
    }

    @Test
    void theLatestCommonIterationIsTheLastOneEveryRunReported() {
        assertThat(Alignment.latestCommonIteration(List.of(run(1, 2, 3, 5), run(2, 4, 5, 6))))
                .hasValue(5);
        assertThat(Alignment.latestCommonIteration(List.of(run(1, 2, 3, 5), run(2, 4, 5, 6), run(1, 2, 4))))
                .as("the longest runs' 5 is not in the third")
                .hasValue(2);
        assertThat(Alignment.latestCommonIteration(List.of(run(10, 20), run(15, 25))))
                .isEmpty();
        assertThat(Alignment.latestCommonIteration(List.of(run(), run(1)))).isEmpty();
        assertThat(Alignment.latestCommonIteration(List.of())).isEmpty();
    }

    @Test
    void valuesOfAnotherLengthOrOffTheAxisAreRefused() {
        RunSeries a = run(1, 2);
        assertThatThrownBy(() -> Alignment.onAxis(new long[] {1, 2}, a, new double[] {1}))
                .hasMessageContaining("1 values for 2 reports");
        assertThatThrownBy(() -> Alignment.onAxis(new long[] {1, 3}, a, a.loss()))
                .hasMessageContaining("iteration 2 is not on the axis");
    }
}
