package io.lossprism.loss;

/**
 * Pixel counts of one class at a threshold. Ratios whose denominator is zero are undefined and
 * returned as {@code NaN}, never as 0 or 1: a class absent from both truth and prediction has no IoU.
 */
public record ConfusionCounts(long tp, long fp, long fn, long tn) {

    public double iou() {
        return ratio(tp, tp + fp + fn);
    }

    public double dice() {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    public double precision() {
        return ratio(tp, tp + fp);
    }

    public double recall() {
        return ratio(tp, tp + fn);
    }

    public long total() {
        return tp + fp + fn + tn;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }
}
