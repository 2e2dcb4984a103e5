package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void numbersKeepTwoDecimalsOrTwoSignificantDigitsWhenTiny() {
        assertThat(Formats.number(0.02)).isEqualTo("0.02");
        assertThat(Formats.number(4.189)).isEqualTo("4.19");
        assertThat(Formats.number(0)).isEqualTo("0.00");
        assertThat(Formats.number(0.0031)).isEqualTo("0.0031");
        assertThat(Formats.number(-0.25)).isEqualTo("-0.25");
        assertThat(Formats.number(Double.NaN)).isEqualTo("NaN");
        assertThat(Formats.number(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    }

    @Test
    void percentagesAndComparisons() {
        assertThat(Formats.percent(0.625)).isEqualTo("62.5%");
        assertThat(Formats.signedPercent(0.005)).isEqualTo("+0.50%");
        assertThat(Formats.signedPercent(-0.1)).isEqualTo("-10.00%");
        assertThat(Formats.comparison(0.89, 0.3)).isEqualTo("> 0.30");
        assertThat(Formats.comparison(0.3, 0.3)).isEqualTo("<= 0.30");
    }
}
