package io.lossprism.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunSeriesTest {

    private static final List<String> CLASSES = List.of("disc", "speck");

    /** Iterations 10, 20, ... with IoU i/100 for disc and NaN for speck at iteration 30. */
    private static RunSeries series(int reports) {
        RunSeries.Builder builder = RunSeries.builder(CLASSES);
        for (int i = 1; i <= reports; i++) {
            long iteration = 10L * i;
            double speck = iteration == 30 ? Double.NaN : 0.5;
            builder.add(
                    iteration,
                    1.0 / i,
                    List.of(new ClassPoint("speck", speck, 0.6, 0.1), new ClassPoint("disc", i / 100.0, 0.2, 0.3)));
        }
        return builder.build();
    }

    @Test
    void classesAreMatchedByNameAndMissingOnesAreUndefined() {
        RunSeries run = RunSeries.builder(CLASSES)
                .add(1, 2.0, List.of(new ClassPoint("speck", 0.5, 0.6, 0.7), new ClassPoint("ghost", 1, 1, 1)))
                .build();

        Snapshot s = run.snapshot(0);
        assertThat(s.iteration()).isEqualTo(1);
        assertThat(s.loss()).isEqualTo(2.0);
        assertThat(s.classes()).extracting(ClassPoint::name).containsExactly("disc", "speck");
        assertThat(s.classes().get(0).iou()).isNaN();
        assertThat(s.classes().get(1)).isEqualTo(new ClassPoint("speck", 0.5, 0.6, 0.7));
        assertThat(run.values(Metric.LOSS, 1)).containsExactly(0.7);
    }

    @Test
    void valuesAtAnIterationAreExactOrTheLastBefore() {
        RunSeries run = series(5); // 10 .. 50

        assertThat(run.latestIteration()).hasValue(50);
        assertThat(run.indexAt(30)).hasValue(2);
        assertThat(run.indexAt(35)).isEmpty();
        assertThat(run.indexAsOf(35)).hasValue(2);
        assertThat(run.indexAsOf(10)).hasValue(0);
        assertThat(run.indexAsOf(9)).isEmpty();
        assertThat(run.indexAsOf(1000)).hasValue(4);
        assertThat(run.snapshot(run.indexAsOf(35).getAsInt()).classes().get(0).iou())
                .isEqualTo(0.03);
        assertThat(RunSeries.builder(CLASSES).build().latestIteration()).isEmpty();
    }

    @Test
    void reportsMustComeInIterationOrderAndClassesOnce() {
        RunSeries.Builder builder = RunSeries.builder(CLASSES).add(5, 1, List.of());
        assertThatThrownBy(() -> builder.add(5, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iteration 5 does not follow 5");
        assertThatThrownBy(() -> RunSeries.builder(List.of("a", "a"))).hasMessageContaining("class 'a' named twice");
    }

    @Test
    void downsamplingKeepsTheEndsAndEveryExtremeWithinTheBudget() {
        int reports = 1000;
        RunSeries.Builder builder = RunSeries.builder(CLASSES);
        for (int i = 1; i <= reports; i++) {
            double disc = i == 437 ? 0.99 : 0.5; // a one-report spike
            double speck = i == 612 ? -1 : 0.1; // a one-report dip in the loss term
            builder.add(
                    i, 1.0, List.of(new ClassPoint("disc", disc, 0.5, 0.2), new ClassPoint("speck", 0.3, 0.4, speck)));
        }
        RunSeries full = builder.build();

        RunSeries kept = full.downsampled(50);

        assertThat(kept.size()).isLessThanOrEqualTo(50).isGreaterThan(2);
        assertThat(kept.iterations()).contains(1L, 1000L, 437L, 612L).isSorted();
        int spike = java.util.Arrays.binarySearch(kept.iterations(), 437L);
        assertThat(kept.values(Metric.IOU, 0)[spike]).isEqualTo(0.99);
        assertThat(full.downsampled(5000)).isSameAs(full);
        RunSeries least = full.downsampled(1);
        assertThat(RunSeries.minimumPoints(2)).isEqualTo(2 + 2 * (1 + 3 * 2));
        assertThat(least.size())
                .as("a budget below the minimum is raised to it")
                .isLessThanOrEqualTo(RunSeries.minimumPoints(2));
        assertThat(least.iterations()).contains(1L, 1000L, 437L, 612L);
    }

    @Test
    void copiesDoNotLeakTheInside() {
        RunSeries run = series(3);
        run.iterations()[0] = 99;
        run.loss()[0] = 99;
        run.values(Metric.IOU, 0)[0] = 99;
        assertThat(run.iteration(0)).isEqualTo(10);
        assertThat(run.snapshot(0).loss()).isEqualTo(1.0);
        assertThat(run.snapshot(0).classes().get(0).iou()).isEqualTo(0.01);
    }
}
