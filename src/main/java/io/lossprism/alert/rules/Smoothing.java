package io.lossprism.alert.rules;

/** How a rule smooths its per-batch inputs before comparing them. */
public enum Smoothing {
    /** Exponential moving average with weight {@code emaAlpha} on the newest value. */
    EMA,
    /** Mean of the last {@code window} finite values. */
    WINDOW
}
