package io.lossprism.samples;

import java.util.List;
import java.util.Objects;

/**
 * The network's predictions on the fixed probe images after an iteration. Immutable; published on
 * the event bus as it is.
 *
 * @param iteration 1-based count of training iterations completed when the probes were predicted
 * @param split     the split the probes come from, "train" or "validation"
 * @param threshold probability above which a pixel counts as predicted positive
 */
public record SampleSet(long iteration, String split, double threshold, List<ProbeSample> images) {

    public SampleSet {
        Objects.requireNonNull(split, "split");
        images = List.copyOf(images);
    }
}
