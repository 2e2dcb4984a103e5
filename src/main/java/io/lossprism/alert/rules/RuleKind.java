package io.lossprism.alert.rules;

/** What a rule watches; each kind has one alert name, stable because dashboards and receivers match on it. */
public enum RuleKind {
    IOU_LAG("LossPrismClassIouLagging"),
    POSITIVE_LOSS_RATIO("LossPrismClassPositiveLossHigh"),
    TREND_DIVERGENCE("LossPrismClassDiverging"),
    HIDDEN_CLASS("LossPrismClassHiddenByAveraging"),
    NON_FINITE_LOSS("LossPrismLossNotFinite");

    private final String alertName;

    RuleKind(String alertName) {
        this.alertName = alertName;
    }

    public String alertName() {
        return alertName;
    }

    /** Whether the rule has one alert instance per class, or a single one for the whole loss. */
    public boolean perClass() {
        return this != NON_FINITE_LOSS;
    }
}
