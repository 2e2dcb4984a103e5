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
    void shippedDefaults(
            RuleKind kind, String alertName, String severity, double threshold, double hysteresis, int forEvaluations) {
        RuleSettings settings = RuleSettings.defaults(kind);

        assertThat(settings.kind()).isEqualTo(kind);
        assertThat(settings.alertName()).isEqualTo(alertName);
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.split()).isEqualTo("train");
        assertThat(settings.severity()).isEqualTo(severity);
        assertThat(settings.threshold()).isEqualTo(threshold);
        assertThat(settings.hysteresis()).isEqualTo(hysteresis);
        assertThat(settings.forEvaluations()).isEqualTo(forEvaluations);
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
                invalid("split", s -> s.withSplit("test")),
                invalid("split", s -> s.withSplit(null)),
                invalid("severity", s -> withSeverity(s, "")),
                invalid("severity", s -> withSeverity(s, "  ")),
                invalid("severity", s -> withSeverity(s, null)));
    }

    /** Severity is not configurable (each kind has its own); only the constructor sets it. */
    private static RuleSettings withSeverity(RuleSettings s, String severity) {
        return new RuleSettings(
                s.kind(), s.enabled(), s.split(), severity, s.threshold(), s.hysteresis(), s.forEvaluations());
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
    void acceptsTheEdgesOfEachRange() {
        RuleSettings settings = RuleSettings.defaults(RuleKind.HIDDEN_CLASS)
                .withHysteresis(0)
                .withForEvaluations(1)
                .withSplit("validation")
                .withThreshold(-5)
                .withEnabled(false);

        assertThat(settings)
                .isEqualTo(new RuleSettings(RuleKind.HIDDEN_CLASS, false, "validation", "warning", -5, 0, 1));
    }

    @Test
    void nullKindIsRejected() {
        assertThatThrownBy(() -> new RuleSettings(null, true, "train", "warning", 0, 0, 1))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("kind");
    }
}
