package io.lossprism.http;

/**
 * Writes the numbers of a columnar {@code history} message as JSON with at most
 * {@value #DIGITS} significant digits: more than a chart a few hundred pixels high can show, and about
 * a third of the 17 digits a double prints with. Undefined values (NaN, infinite) are {@code null}.
 */
final class ChartNumbers {

    static final int DIGITS = 5;
    private static final long LIMIT = 100_000; // 10^DIGITS
    private static final long FLOOR = 10_000; // 10^(DIGITS - 1)
    /** 10^0 .. 10^22, each exact as a double: Math.pow per number made a long history slow to write. */
    private static final double[] POWERS = new double[23];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    private ChartNumbers() {}

    static void append(StringBuilder out, double value) {
        if (!Double.isFinite(value)) {
            out.append("null");
            return;
        }
        if (value == 0) {
            out.append('0');
            return;
        }
        if (value < 0) {
            out.append('-');
            value = -value;
        }
        int exponent = (int) Math.floor(Math.log10(value));
        long digits = scaled(value, exponent);
        if (digits >= LIMIT) { // rounded up to the next power of ten, or log10 was one too low
            exponent++;
            digits = scaled(value, exponent);
        } else if (digits < FLOOR) { // log10 was one too high
            exponent--;
            digits = scaled(value, exponent);
        }
        int count = DIGITS;
        while (count > 1 && digits % 10 == 0) {
            digits /= 10;
            count--;
        }
        char[] text = new char[DIGITS]; // the significant digits, without a String per number
        for (int at = count - 1; at >= 0; at--) {
            text[at] = (char) ('0' + digits % 10);
            digits /= 10;
        }
        if (exponent < -6 || exponent > 20) {
            out.append(text[0]);
            if (count > 1) {
                out.append('.').append(text, 1, count - 1);
            }
            out.append('e').append(exponent);
            return;
        }
        int whole = exponent + 1; // digits before the decimal point
        if (whole <= 0) {
            out.append("0.");
            for (int z = whole; z < 0; z++) {
                out.append('0');
            }
            out.append(text, 0, count);
        } else if (whole >= count) {
            out.append(text, 0, count);
            for (int z = count; z < whole; z++) {
                out.append('0');
            }
        } else {
            out.append(text, 0, whole).append('.').append(text, whole, count - whole);
        }
    }

    /** The value's leading {@value #DIGITS} digits, rounded, for a value in [10^exponent, 10^(exponent+1)). */
    private static long scaled(double value, int exponent) {
        int shift = DIGITS - 1 - exponent;
        double scaled = Math.abs(shift) < POWERS.length
                ? (shift >= 0 ? value * POWERS[shift] : value / POWERS[-shift])
                : (shift >= 0 ? value * Math.pow(10, shift) : value / Math.pow(10, -shift));
        return Math.round(scaled);
    }
}
