package io.lossprism.compare;

import java.util.List;

/** A run's numbers at one iteration: the aggregate loss and each class's, in the run's class order. */
public record Snapshot(long iteration, double loss, List<ClassPoint> classes) {

    public Snapshot {
        classes = List.copyOf(classes);
    }
}
