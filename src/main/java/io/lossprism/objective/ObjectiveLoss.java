package io.lossprism.objective;

/**
 * A loss function that trains an {@link Objective}: how a network's loss layer tells the decomposition
 * which loss it computes, without the reader knowing each loss class.
 */
public interface ObjectiveLoss {

    /** The objective for a batch of {@code classes} classes. */
    Objective objective(int classes);
}
