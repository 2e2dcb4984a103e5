package io.lossprism.alert.rules;

import java.util.Arrays;
import java.util.List;

/**
 * Smoothing settings and rule lists for the rule tests: inputs chosen per test. The shipped smoothing is the
 * configuration schema's default (tested in the config package), not one of these.
 */
final class Smoothings {

    /** EMA with weight 0.1 on the newest value, fitting trends over 50 evaluations. */
    static final Smoothing EMA_TENTH = ema(0.1);

    /** An EMA of weight 1: every smoothed value is the latest one. */
    static final Smoothing NONE = ema(1.0);

    private Smoothings() {}

    static Smoothing ema(double alpha) {
        return new Smoothing(Smoothing.Method.EMA, alpha, 50);
    }

    static Smoothing window(int size) {
        return new Smoothing(Smoothing.Method.WINDOW, 0.1, size);
    }

    /** Every kind with its default settings. */
    static List<RuleSettings> defaultRules() {
        return Arrays.stream(RuleKind.values()).map(RuleSettings::defaults).toList();
    }
}
