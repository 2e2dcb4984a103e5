package io.lossprism.alert.rules;

import java.util.ArrayDeque;
import java.util.Deque;

/** Mean of the last {@code size} finite values (of fewer until that many have arrived). */
final class WindowSmoother implements Smoother {

    private final int size;
    private final Deque<Double> values = new ArrayDeque<>();

    WindowSmoother(int size) {
        this.size = size;
    }

    @Override
    public void add(double x) {
        if (!Double.isFinite(x)) {
            return;
        }
        if (values.size() == size) {
            values.removeFirst();
        }
        values.addLast(x);
    }

    @Override
    public double value() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        // Summed afresh each time: windows are short, and a running sum would drift.
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.size();
    }
}
