package io.lossprism.alert.rules;

import java.util.Objects;
import java.util.Set;

/**
 * One configured rule. Validated on construction so that a bad configuration fails at start-up with the
 * field's name, not later inside a batch. How the rule smooths its inputs is not here: {@link Smoothing} is one
 * setting for all rules, given to the {@link AlertEngine}.
 *
 * @param threshold      the condition is {@code value > threshold} (see {@link RuleKind}); unused by
 *                       {@link RuleKind#NON_FINITE_LOSS}
 * @param hysteresis     a firing alert resolves only once {@code value <= threshold - hysteresis}
 * @param forEvaluations consecutive evaluations the condition must hold before PENDING becomes FIRING
 */
public record RuleSettings(
        RuleKind kind,
        boolean enabled,
        String split,
        String severity,
        double threshold,
        double hysteresis,
        int forEvaluations) {

    private static final Set<String> SPLITS = Set.of("train", "validation");

    public RuleSettings {
        Objects.requireNonNull(kind, "kind");
        if (split == null || !SPLITS.contains(split)) {
            throw new IllegalArgumentException("split: must be train or validation, got " + split);
        }
        if (severity == null || severity.isBlank()) {
            throw new IllegalArgumentException("severity: must not be empty");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold: must be finite, got " + threshold);
        }
        if (!(hysteresis >= 0) || Double.isInfinite(hysteresis)) {
            throw new IllegalArgumentException("hysteresis: must be finite and >= 0, got " + hysteresis);
        }
        if (forEvaluations < 1) {
            throw new IllegalArgumentException("forEvaluations: must be >= 1, got " + forEvaluations);
        }
    }

    /** The shipped defaults of a kind: enabled, on the training split. */
    public static RuleSettings defaults(RuleKind kind) {
        return switch (kind) {
            case IOU_LAG -> warning(kind, 0.30, 0.05);
            case POSITIVE_LOSS_RATIO -> warning(kind, 3.0, 0.5);
            case TREND_DIVERGENCE -> warning(kind, 0.01, 0.0);
            case HIDDEN_CLASS -> warning(kind, 0.25, 0.05);
            case NON_FINITE_LOSS -> new RuleSettings(kind, true, "train", "critical", 0.0, 0.0, 1);
        };
    }

    private static RuleSettings warning(RuleKind kind, double threshold, double hysteresis) {
        return new RuleSettings(kind, true, "train", "warning", threshold, hysteresis, 5);
    }

    public String alertName() {
        return kind.alertName();
    }

    public RuleSettings withEnabled(boolean value) {
        return new RuleSettings(kind, value, split, severity, threshold, hysteresis, forEvaluations);
    }

    public RuleSettings withSplit(String value) {
        return new RuleSettings(kind, enabled, value, severity, threshold, hysteresis, forEvaluations);
    }

    public RuleSettings withThreshold(double value) {
        return new RuleSettings(kind, enabled, split, severity, value, hysteresis, forEvaluations);
    }

    public RuleSettings withHysteresis(double value) {
        return new RuleSettings(kind, enabled, split, severity, threshold, value, forEvaluations);
    }

    public RuleSettings withForEvaluations(int value) {
        return new RuleSettings(kind, enabled, split, severity, threshold, hysteresis, value);
    }
}
