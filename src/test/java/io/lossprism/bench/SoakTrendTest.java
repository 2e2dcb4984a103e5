package io.lossprism.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lossprism.bench.SoakBenchmark.Measurement;
import io.lossprism.bench.SoakBenchmark.Trend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakTrendTest {

    private static List<Measurement> rss(double... mbPerHalfMinute) {
        List<Measurement> samples = new ArrayList<>();
        for (int i = 0; i < mbPerHalfMinute.length; i++) {
            samples.add(new Measurement(i * 0.5, i, mbPerHalfMinute[i], 0, 0, 0, 0));
        }
        return samples;
    }

    @Test
    void aStraightLineHasItsSlopeAndNoError() {
        Trend trend = Trend.of(rss(100, 101, 102, 103), Measurement::rssMb); // 1 MB per half minute
        assertThat(trend.perHour()).isCloseTo(120, within(1e-9));
        assertThat(trend.standardError()).isCloseTo(0, within(1e-9));
        assertThat(trend.verdict()).isEqualTo("GROWING");
    }

    /** By hand: x = 0, .5, 1, 1.5 min, y = 0, 2, 0, 2; slope 0.8 MB/min, residuals -.4 1.2 -1.2 .4, SSE 3.2. */
    @Test
    void aSwingingSeriesIsFlatWithinItsNoise() {
        Trend trend = Trend.of(rss(0, 2, 0, 2), Measurement::rssMb);
        assertThat(trend.perHour()).isCloseTo(48, within(1e-9));
        assertThat(trend.standardError()).isCloseTo(Math.sqrt(3.2 / 2 / 1.25) * 60, within(1e-9));
        assertThat(trend.verdict()).isEqualTo("flat within noise");
        assertThat(trend.toString()).isEqualTo("48.0 MB/h (standard error 67.9: flat within noise)");
    }

    @Test
    void aFallingSeriesIsNotCalledGrowing() {
        assertThat(Trend.of(rss(900, 850, 801, 750), Measurement::rssMb).verdict())
                .isEqualTo("falling");
    }

    @Test
    void tooFewSamplesGiveNoSlope() {
        assertThat(Trend.of(rss(1, 2), Measurement::rssMb).perHour()).isNaN();
    }
}
