package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AxisSamplingTest {

    @Test
    void shrinkingByFourAveragesEachBlockOfFourAndSamplesMasksInsideIt() {
        AxisSampling axis = AxisSampling.of(0, 64, 16);
        assertThat(axis.nearest(0)).isEqualTo(2);
        assertThat(axis.nearest(15)).isEqualTo(62);
        assertThat(axis.first(3)).isEqualTo(12);
        assertThat(axis.last(3)).isEqualTo(15);
        for (int s = 12; s <= 15; s++) {
            assertThat(axis.weight(3, s)).isEqualTo(0.25f);
        }
        assertThat(axis.weight(3, 11)).isZero();
        assertThat(axis.weight(3, 16)).isZero();
    }

    @Test
    void aFractionalFootprintWeighsPartlyCoveredPixelsByTheirOverlap() {
        AxisSampling axis = AxisSampling.of(0, 10, 4); // each target pixel covers 2.5 source pixels
        assertThat(axis.weight(0, 0)).isCloseTo(0.4f, within(1e-6f));
        assertThat(axis.weight(0, 1)).isCloseTo(0.4f, within(1e-6f));
        assertThat(axis.weight(0, 2)).isCloseTo(0.2f, within(1e-6f));
        assertThat(axis.weight(1, 2)).isCloseTo(0.2f, within(1e-6f));
        assertThat(axis.weight(1, 4)).isCloseTo(0.4f, within(1e-6f));
    }

    @Test
    void anOffsetWindowSamplesOnlyInsideIt() {
        AxisSampling axis = AxisSampling.of(16, 32, 16); // crop: the centre 32 of 64
        assertThat(axis.first(0)).isEqualTo(16);
        assertThat(axis.last(15)).isEqualTo(47);
        assertThat(axis.nearest(0)).isEqualTo(17);
        assertThat(axis.nearest(15)).isEqualTo(47);
    }

    @Test
    void enlargingInterpolatesBetweenCentresAndClampsAtTheEdges() {
        AxisSampling axis = AxisSampling.of(0, 4, 16); // each source pixel becomes 4
        assertThat(axis.nearest(0)).isZero();
        assertThat(axis.nearest(7)).isEqualTo(1);
        assertThat(axis.weight(0, 0)).isEqualTo(1f); // centre -0.375 clamps to pixel 0
        assertThat(axis.weight(2, 0)).isEqualTo(0.875f); // centre 0.125
        assertThat(axis.weight(2, 1)).isEqualTo(0.125f);
        assertThat(axis.weight(15, 3)).isEqualTo(1f);
    }

    @Test
    void weightsSumToOneAndSupportsNeverMoveBackwards() {
        int[][] cases = {{0, 64, 16}, {0, 10, 4}, {3, 7, 16}, {0, 1, 5}, {0, 1000, 64}, {5, 17, 17}};
        for (int[] c : cases) {
            AxisSampling axis = AxisSampling.of(c[0], c[1], c[2]);
            for (int t = 0; t < c[2]; t++) {
                double sum = 0;
                for (int s = axis.first(t); s <= axis.last(t); s++) {
                    sum += axis.weight(t, s);
                }
                assertThat(sum)
                        .as("case %s target %d", java.util.Arrays.toString(c), t)
                        .isCloseTo(1, within(1e-5));
                assertThat(axis.first(t)).isGreaterThanOrEqualTo(c[0]);
                assertThat(axis.last(t)).isLessThan(c[0] + c[1]);
                assertThat(axis.nearest(t)).isBetween(axis.first(t), axis.last(t));
                if (t > 0) {
                    assertThat(axis.first(t)).isGreaterThanOrEqualTo(axis.first(t - 1));
                    assertThat(axis.last(t)).isGreaterThanOrEqualTo(axis.last(t - 1));
                }
            }
        }
    }
}
