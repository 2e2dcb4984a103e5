package io.lossprism.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class RuleSettingsTest {

    @ParameterizedTest
    @CsvSource({
        "IOU_LAG,             LossPrismClassIouLagging,        warning,  0.30,  0.05, 5",
        "POSITIVE_LOSS_RATIO, LossPrismClassPositiveLossHigh,  warning,  3.0,   0.5,  5",
        "TREND_DIVERGENCE,    LossPrismClassDiverging,         warning,  0.01,  0.0,  5",
        "HIDDEN_CLASS,        LossPrismClassHiddenByAveraging, warning,  0.25,  0.05, 5",
        "NON_FINITE_LOSS,     LossPrismLossNotFinite,          critical, 0.0,   0.0,  1",
    })
    void shippedDefaults(RuleKind kind, String alertName, String severity, double threshold, double hysteresis,
                         int forEvaluations) {
        RuleSettings settings = RuleSettings.defaults(kind);

        assertThat(settings.kind()).isEqualTo(kind);
        assertThat(settings.alertName()).isEqualTo(alertName);
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.split()).isEqualTo("train");
        assertThat(settings.severity()).isEqualTo(severity);
        assertThat(settings.threshold()).isEqualTo(threshold);
        assertThat(settings.hysteresis()).isEqualTo(hysteresis);
        assertThat(settings.forEvaluations()).isEqualTo(forEvaluations);
        assertThat(settings.smoothing()).isEqualTo(Smoothing.EMA);
        assertThat(settings.emaAlpha()).isEqualTo(0.1);
        assertThat(settings.window()).isEqualTo(50);
    }

    @ParameterizedTest
    @EnumSource(RuleKind.class)
    void onlyNonFiniteLossIsNotPerClass(RuleKind kind) {
        assertThat(kind.perClass()).isEqualTo(kind != RuleKind.NON_FINITE_LOSS);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                invalid("threshold", s -> s.withThreshold(Double.NaN)),
                invalid("threshold", s -> s.withThreshold(Double.POSITIVE_INFINITY)),
                invalid("hysteresis", s -> s.withHysteresis(-0.01)),
                invalid("hysteresis", s -> s.withHysteresis(Double.NaN)),
                invalid("forEvaluations", s -> s.withForEvaluations(0)),
                invalid("emaAlpha", s -> s.withEmaAlpha(0)),
                invalid("emaAlpha", s -> s.withEmaAlpha(1.01)),
                invalid("emaAlpha", s -> s.withEmaAlpha(Double.NaN)),
                invalid("window", s -> s.withSmoothing(Smoothing.WINDOW).withWindow(1)),
                invalid("split", s -> s.withSplit("test")),
                invalid("split", s -> s.withSplit(null)),
                invalid("severity", s -> s.withSeverity("")),
                invalid("severity", s -> s.withSeverity("  ")),
                invalid("severity", s -> s.withSeverity(null)));
    }

    private static Arguments invalid(String field, UnaryOperator<RuleSettings> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsABadFieldNamingIt(String field, UnaryOperator<RuleSettings> change) {
        RuleSettings valid = RuleSettings.defaults(RuleKind.IOU_LAG);

        assertThatThrownBy(() -> change.apply(valid))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + ":");
    }

    @Test
    void trendNeedsAWindowOfTwoEvenWithEma() {
        assertThatThrownBy(() -> RuleSettings.defaults(RuleKind.TREND_DIVERGENCE).withWindow(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window: must be >= 2, got 1");
    }

    @Test
    void windowIsIgnoredWhereNothingUsesIt() {
        assertThat(RuleSettings.defaults(RuleKind.IOU_LAG).withWindow(0).window()).isZero();
    }

    @Test
    void acceptsTheEdgesOfEachRange() {
        RuleSettings settings = RuleSettings.defaults(RuleKind.HIDDEN_CLASS)
                .withHysteresis(0).withForEvaluations(1).withEmaAlpha(1).withSplit("validation")
                .withSmoothing(Smoothing.WINDOW).withWindow(2).withThreshold(-5).withSeverity("page")
                .withEnabled(false);

        assertThat(settings).isEqualTo(new RuleSettings(RuleKind.HIDDEN_CLASS, false, "validation", "page", -5, 0,
                1, Smoothing.WINDOW, 1, 2));
    }

    @Test
    void nullKindOrSmoothingIsRejected() {
        assertThatThrownBy(() -> new RuleSettings(null, true, "train", "warning", 0, 0, 1, Smoothing.EMA, 0.1, 20))
                .isInstanceOf(NullPointerException.class).hasMessage("kind");
        assertThatThrownBy(() -> RuleSettings.defaults(RuleKind.IOU_LAG).withSmoothing(null))
                .isInstanceOf(NullPointerException.class).hasMessage("smoothing");
    }
}
