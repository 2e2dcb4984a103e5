package io.lossprism.alert.rules;

import java.util.Objects;

/**
 * How the rules smooth their per-batch inputs: one setting shared by every rule and by the smoothed series
 * exported to Prometheus. Its default lives in the configuration schema ({@code alerts.smoothing},
 * {@code alerts.emaAlpha}, {@code alerts.window}), nowhere else.
 *
 * @param method   exponential moving average or window mean
 * @param emaAlpha weight of the newest value in {@link Method#EMA}, in (0, 1]
 * @param window   values averaged by {@link Method#WINDOW}, and evaluations {@link RuleKind#TREND_DIVERGENCE}
 *                 fits a line through (whatever the method), at least 2
 */
public record Smoothing(Method method, double emaAlpha, int window) {

    public enum Method {
        /** Exponential moving average with weight {@code emaAlpha} on the newest value. */
        EMA,
        /** Mean of the last {@code window} finite values. */
        WINDOW
    }

    public Smoothing {
        Objects.requireNonNull(method, "method");
        if (!(emaAlpha > 0 && emaAlpha <= 1)) {
            throw new IllegalArgumentException("emaAlpha: must be in (0, 1], got " + emaAlpha);
        }
        if (window < 2) {
            throw new IllegalArgumentException("window: must be >= 2, got " + window);
        }
    }

    /** A new, empty series smoothed this way. */
    public Smoother newSmoother() {
        return switch (method) {
            case EMA -> new EmaSmoother(emaAlpha);
            case WINDOW -> new WindowSmoother(window);
        };
    }
}
