package io.lossprism.alert.rules;

/** Least-squares slope of evenly spaced values, relative to their mean: 0.01 means +1% per step. */
final class RelativeSlope {

    private RelativeSlope() {}

    /** {@code NaN} or infinite when the mean is 0 or there are fewer than two values. */
    static double of(double[] values) {
        int n = values.length;
        if (n < 2) {
            return Double.NaN;
        }
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (double v : values) {
            meanY += v;
        }
        meanY /= n;
        double covariance = 0;
        double varianceX = 0;
        for (int i = 0; i < n; i++) {
            double dx = i - meanX;
            covariance += dx * (values[i] - meanY);
            varianceX += dx * dx;
        }
        return covariance / varianceX / meanY;
    }
}
