package io.lossprism.alert.rules;

import java.util.Locale;

/** Number formatting for alert summaries, independent of the machine's locale. */
final class Formats {

    private Formats() {}

    /** Two decimals, or two significant digits for tiny values so that 0.003 does not read as 0.00. */
    static String number(double x) {
        if (!Double.isFinite(x)) {
            return Double.toString(x);
        }
        String pattern = x == 0 || Math.abs(x) >= 0.01 ? "%.2f" : "%.2g";
        return String.format(Locale.ROOT, pattern, x);
    }

    /** A share of 1 as a percentage: 0.625 -> "62.5%". */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** A relative rate with its sign: 0.005 -> "+0.50%". */
    static String signedPercent(double rate) {
        return String.format(Locale.ROOT, "%+.2f%%", rate * 100);
    }

    /** How a value stands against its threshold: "> 0.30" or "<= 0.30". */
    static String comparison(double value, double threshold) {
        return (value > threshold ? "> " : "<= ") + number(threshold);
    }
}
