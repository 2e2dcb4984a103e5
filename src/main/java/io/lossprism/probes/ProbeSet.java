package io.lossprism.probes;

import java.util.List;
import java.util.Objects;

/**
 * The network's predictions on the fixed probe images after an iteration. Immutable; published on
 * the event bus as it is.
 *
 * @param runId     the run whose network predicted them
 * @param iteration 1-based count of training iterations completed when the probes were predicted
 * @param split     the split the probes come from, "train" or "validation"
 * @param threshold probability above which a pixel counts as predicted positive
 */
public record ProbeSet(String runId, long iteration, String split, double threshold, List<ProbePrediction> images) {

    public ProbeSet {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(split, "split");
        images = List.copyOf(images);
    }
}
