package io.lossprism.alert.rules;

import java.util.List;

/**
 * One kind of rule: keeps its own smoothed series and turns each observation into readings, one per alert
 * instance it can evaluate. An instance without a reading (no data yet, window not full) is left as it is.
 */
interface AlertRule {

    /** Readings in a fixed order: the engine's class order. */
    List<Reading> evaluate(BatchObservation observation);

    static AlertRule create(RuleSettings settings, Smoothing smoothing, List<String> classNames) {
        return switch (settings.kind()) {
            case IOU_LAG -> new IouLagRule(settings, smoothing, classNames);
            case POSITIVE_LOSS_RATIO -> new PositiveLossRatioRule(settings, smoothing, classNames);
            case TREND_DIVERGENCE -> new TrendDivergenceRule(settings, smoothing.window(), classNames);
            case HIDDEN_CLASS -> new HiddenClassRule(settings, smoothing, classNames);
            case NON_FINITE_LOSS -> new NonFiniteLossRule(classNames);
        };
    }
}
