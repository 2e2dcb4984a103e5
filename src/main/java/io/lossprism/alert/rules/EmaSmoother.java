package io.lossprism.alert.rules;

/** Exponential moving average seeded with the first finite value, so that it does not start from 0. */
public final class EmaSmoother implements Smoother {

    private final double alpha;
    private double value = Double.NaN;

    public EmaSmoother(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public void add(double x) {
        if (!Double.isFinite(x)) {
            return;
        }
        value = Double.isNaN(value) ? x : alpha * x + (1 - alpha) * value;
    }

    @Override
    public double value() {
        return value;
    }
}
