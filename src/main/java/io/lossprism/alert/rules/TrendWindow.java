package io.lossprism.alert.rules;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last {@code size} evaluations at which both a class's loss term and the aggregate loss were finite. */
final class TrendWindow {

    private final int size;
    private final Deque<double[]> pairs = new ArrayDeque<>();

    TrendWindow(int size) {
        this.size = size;
    }

    /** Adds a pair; skipped when either value is not finite, so that one missing batch does not break the fit. */
    void add(double classLoss, double aggregateLoss) {
        if (!Double.isFinite(classLoss) || !Double.isFinite(aggregateLoss)) {
            return;
        }
        if (pairs.size() == size) {
            pairs.removeFirst();
        }
        pairs.addLast(new double[] {classLoss, aggregateLoss});
    }

    boolean isFull() {
        return pairs.size() == size;
    }

    double classSlope() {
        return RelativeSlope.of(column(0));
    }

    double aggregateSlope() {
        return RelativeSlope.of(column(1));
    }

    private double[] column(int index) {
        return pairs.stream().mapToDouble(pair -> pair[index]).toArray();
    }
}
