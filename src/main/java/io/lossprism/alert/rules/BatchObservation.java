package io.lossprism.alert.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch, as the alert rules see it.
 *
 * @param split            {@code "train"} or {@code "validation"}; only rules of the same split read it
 * @param loss             the aggregate loss, the sum of the class terms
 * @param meanPositiveLoss mean cross-entropy over all positive pixels of all classes
 */
public record BatchObservation(
        String split, long iteration, double loss, double meanPositiveLoss, List<ClassObservation> classes) {

    public BatchObservation {
        Objects.requireNonNull(split, "split");
        classes = List.copyOf(classes);
    }

    /** The class of that name, empty when this batch does not report it. */
    public Optional<ClassObservation> classNamed(String name) {
        for (ClassObservation c : classes) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
