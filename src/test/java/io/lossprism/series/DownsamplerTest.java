package io.lossprism.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

    private static final double NAN = Double.NaN;

    @Test
    void keepsEverythingWhenItFits() {
        double[][] series = {{3, 1, 2}, {0, 0, 0}};
        assertThat(Downsampler.select(series, 6)).containsExactly(0, 1, 2);
        assertThat(Downsampler.select(new double[][] {{}}, 4)).isEmpty();
    }

    @Test
    void bucketExtremesByHand() {
        // 4 buckets of 3 keep 0,1,4,5,6,7,9,10 plus the last: 9 > 8; 2 buckets fit; 3 buckets
        // [0,4) [4,8) [8,12) keep 1,0 | 5,4 | 9,8 and the last, 11: 7 points, the best that fits
        double[][] series = {{5, 1, 4, 3, 9, 2, 8, 6, 7, 0, 5, 5}};
        assertThat(Downsampler.select(series, 8)).containsExactly(0, 1, 4, 5, 8, 9, 11);
    }

    @Test
    void undefinedValuesAreNeverExtremesButTheEndsStay() {
        // 3 buckets [0,3) [3,6) [6,10); the all-NaN series adds nothing; ties keep the first
        double[][] series = {
            {NAN, 2, NAN, 1, 3, NAN, 2, NAN, 2, NAN},
            {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN}
        };
        assertThat(Downsampler.select(series, 6)).containsExactly(0, 1, 3, 4, 6, 9);
    }

    @Test
    void aSpikeInOneSeriesSurvivesHeavyThinning() {
        int n = 100_000;
        double[] smooth = new double[n];
        double[] spiky = new double[n];
        for (int i = 0; i < n; i++) {
            smooth[i] = 1.0 / (1 + i);
            spiky[i] = 0.5;
        }
        spiky[77_777] = 9; // the global maximum of the second series
        spiky[12_345] = 0.1; // and its global minimum
        int[] kept = Downsampler.select(new double[][] {smooth, spiky}, 6);
        assertThat(kept).contains(0, n - 1, 77_777, 12_345).hasSizeLessThanOrEqualTo(6);
    }

    @Test
    void randomWalksStayWithinBudgetKeepEveryExtremeAndUseMostOfIt() {
        Random random = new Random(11);
        int n = 10_000;
        double[][] series = new double[3][n];
        for (double[] s : series) {
            for (int i = 1; i < n; i++) {
                s[i] = s[i - 1] + random.nextGaussian();
            }
        }
        int[] kept = Downsampler.select(series, 2000);
        assertThat(kept).hasSizeLessThanOrEqualTo(2000).contains(0, n - 1);
        for (int i = 1; i < kept.length; i++) {
            assertThat(kept[i]).isGreaterThan(kept[i - 1]);
        }
        for (double[] s : series) {
            assertThat(kept).contains(argMin(s), argMax(s));
        }
        // halving alone stops at 250 buckets (about 1,500 points); bisection gets close to the budget
        assertThat(kept.length).isGreaterThan(1800);
    }

    @Test
    void refusesBudgetsTooSmallAndRaggedOrMissingSeries() {
        assertThatThrownBy(() -> Downsampler.select(new double[][] {{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}}, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 6");
        assertThatThrownBy(() -> Downsampler.select(new double[][] {{1, 2}, {1}}, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("series 1");
        assertThatThrownBy(() -> Downsampler.select(new double[0][], 10)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int argMin(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) {
            best = s[i] < s[best] ? i : best;
        }
        return best;
    }

    private static int argMax(double[] s) {
        double[] negated = Arrays.stream(s).map(v -> -v).toArray();
        return argMin(negated);
    }
}
