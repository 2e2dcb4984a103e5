package io.lossprism.training;

import io.lossprism.loss.Decomposition;

/**
 * What one training step produced.
 *
 * @param epoch          0-based epoch the batch belongs to
 * @param iteration      1-based iteration over the whole run
 * @param reportedLoss   DL4J's score for the batch, before the update
 * @param decomposition  the same loss recomputed and split per class
 * @param fitNanos       time inside {@code fit()}, the capture copy included
 * @param monitorNanos   time spent monitoring: copying the output inside {@code fit()}, and decomposing it
 */
public record StepResult(
        int epoch,
        long iteration,
        double reportedLoss,
        Decomposition decomposition,
        long fitNanos,
        long monitorNanos) {}
