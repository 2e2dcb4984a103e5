package io.lossprism.loss;

import java.util.Locale;

/**
 * The floating-point format a framework computes a loss in. Clip bounds, {@code 1 - p} and sigmoids
 * rounded to float32 decide the value of saturated elements (in float32 {@code 1 - 1e-7} is
 * 0.99999988, and a sigmoid reaches exactly 1.0 from a logit of about 16.6), so each step of an
 * element's loss is rounded as the framework rounds it; the sums over elements are kept in double.
 */
public enum Precision {
    FLOAT32,
    FLOAT64;

    /** {@code x} rounded to this format (to nearest, as IEEE arithmetic does after every operation). */
    public double round(double x) {
        return this == FLOAT32 ? (double) (float) x : x;
    }

    /** Name on the command line and in JSON: float32, float64. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.label().equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "'; known: float32, float64");
    }
}
