package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrendWindowTest {

    @Test
    void relativeSlopeByHand() {
        // slope 1 per step over mean 2
        assertThat(RelativeSlope.of(new double[] {1, 2, 3})).isCloseTo(0.5, within(1e-12));
        // least squares through 2, 1, 3, 2: slope 0.2 over mean 2
        assertThat(RelativeSlope.of(new double[] {2, 1, 3, 2})).isCloseTo(0.1, within(1e-12));
        assertThat(RelativeSlope.of(new double[] {4, 4, 4})).isZero();
        assertThat(RelativeSlope.of(new double[] {10, 8})).isCloseTo(-2 / 9.0, within(1e-12));
    }

    @Test
    void relativeSlopeIsNotFiniteWithoutAMeanOrASecondPoint() {
        assertThat(RelativeSlope.of(new double[] {0, 0})).isNaN();
        assertThat(RelativeSlope.of(new double[] {-1, 1})).isInfinite();
        assertThat(RelativeSlope.of(new double[] {3})).isNaN();
    }

    @Test
    void windowFillsSlidesAndSkipsNonFinitePairs() {
        TrendWindow window = new TrendWindow(3);
        window.add(1, 10);
        window.add(Double.NaN, 9);
        window.add(2, Double.NEGATIVE_INFINITY);
        window.add(2, 9);
        assertThat(window.isFull()).isFalse();

        window.add(3, 8);
        assertThat(window.isFull()).isTrue();
        assertThat(window.classSlope()).isCloseTo(0.5, within(1e-12));
        assertThat(window.aggregateSlope()).isCloseTo(-1 / 9.0, within(1e-12));

        window.add(4, 7);
        assertThat(window.classSlope()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(window.aggregateSlope()).isCloseTo(-1 / 8.0, within(1e-12));
    }
}
