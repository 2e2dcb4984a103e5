package io.lossprism.alert.rules;

/**
 * A smoothed series. Non-finite inputs are skipped, neither updating nor resetting it: a rare class absent
 * from a batch has an undefined IoU, which says nothing about how well it is segmented.
 */
public interface Smoother {

    /** Adds a value; {@code NaN} and infinities are ignored. */
    void add(double value);

    /** The smoothed value, {@code NaN} until a finite value has been added. */
    double value();
}
