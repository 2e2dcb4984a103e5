package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        Smoother ema = fed(new EmaSmoother(0.25), 1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 5);

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
        Smoothing ema = new Smoothing(Smoothing.Method.EMA, 0.5, 3);
        Smoothing window = new Smoothing(Smoothing.Method.WINDOW, 0.5, 3);

        // EMA: 0 -> 0.5 -> 1.25 -> 2.125; window: mean(1, 2, 3) = 2
        assertThat(fed(ema.newSmoother(), 0, 1, 2, 3).value()).isCloseTo(2.125, within(1e-12));
        assertThat(fed(window.newSmoother(), 0, 1, 2, 3).value()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void eachNewSmootherStartsEmpty() {
        Smoothing ema = new Smoothing(Smoothing.Method.EMA, 0.5, 3);
        fed(ema.newSmoother(), 4, 8);

        assertThat(ema.newSmoother().value()).isNaN();
    }

    @Test
    void smoothingAcceptsTheEdgesOfItsRanges() {
        assertThat(new Smoothing(Smoothing.Method.WINDOW, 1, 2))
                .extracting(Smoothing::emaAlpha, Smoothing::window)
                .containsExactly(1.0, 2);
        assertThat(new Smoothing(Smoothing.Method.EMA, 1e-9, 2).emaAlpha()).isEqualTo(1e-9);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "EMA,    0,    50, 'emaAlpha: must be in (0, 1], got 0.0'",
        "EMA,    1.01, 50, 'emaAlpha: must be in (0, 1], got 1.01'",
        "EMA,    NaN,  50, 'emaAlpha: must be in (0, 1], got NaN'",
        "WINDOW, 0.1,  1,  'window: must be >= 2, got 1'",
        // the trend rule fits this window whatever the method
        "EMA,    0.1,  1,  'window: must be >= 2, got 1'",
    })
    void smoothingRejectsABadFieldNamingIt(Smoothing.Method method, double emaAlpha, int window, String message) {
        assertThatThrownBy(() -> new Smoothing(method, emaAlpha, window))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void smoothingNeedsAMethod() {
        assertThatThrownBy(() -> new Smoothing(null, 0.1, 50))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("method");
    }
}
