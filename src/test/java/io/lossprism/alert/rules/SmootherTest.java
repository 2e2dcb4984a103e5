package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SmootherTest {

    private static Smoother fed(Smoother smoother, double... values) {
        for (double v : values) {
            smoother.add(v);
        }
        return smoother;
    }

    @Test
    void emaIsUndefinedUntilTheFirstFiniteValueWhichSeedsIt() {
        assertThat(new EmaSmoother(0.1).value()).isNaN();
        assertThat(fed(new EmaSmoother(0.1), Double.NaN).value()).isNaN();
        assertThat(fed(new EmaSmoother(0.1), 0.7).value()).isEqualTo(0.7);
    }

    @Test
    void emaByHand() {
        // 1 -> 0.25 * 5 + 0.75 * 1 = 2 -> 0.25 * 6 + 0.75 * 2 = 3
        assertThat(fed(new EmaSmoother(0.25), 1, 5, 6).value()).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void emaSkipsNonFiniteValuesWithoutResetting() {
        Smoother ema = fed(new EmaSmoother(0.25), 1, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 5);

        assertThat(ema.value()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void emaWithAlphaOneIsTheLatestValue() {
        assertThat(fed(new EmaSmoother(1), 3, 8, 2).value()).isEqualTo(2);
    }

    @Test
    void windowIsTheMeanOfTheLastValues() {
        assertThat(new WindowSmoother(3).value()).isNaN();
        assertThat(fed(new WindowSmoother(3), 4).value()).isEqualTo(4);
        assertThat(fed(new WindowSmoother(3), 4, 8).value()).isEqualTo(6);
        assertThat(fed(new WindowSmoother(3), 1, 2, 3, 4).value()).isEqualTo(3);
    }

    @Test
    void windowSkipsNonFiniteValuesWithoutTakingASlot() {
        Smoother window = fed(new WindowSmoother(2), 1, 3, Double.NaN, Double.POSITIVE_INFINITY);

        assertThat(window.value()).isEqualTo(2);
    }

    @Test
    void emaAndWindowDifferOnTheSameSeries() {
        RuleSettings ema = RuleSettings.defaults(RuleKind.IOU_LAG).withEmaAlpha(0.5);
        RuleSettings window = ema.withSmoothing(Smoothing.WINDOW).withWindow(3);

        // EMA: 0 -> 0.5 -> 1.25 -> 2.125; window: mean(1, 2, 3) = 2
        assertThat(fed(Smoother.of(ema), 0, 1, 2, 3).value()).isCloseTo(2.125, within(1e-12));
        assertThat(fed(Smoother.of(window), 0, 1, 2, 3).value()).isCloseTo(2.0, within(1e-12));
    }
}
