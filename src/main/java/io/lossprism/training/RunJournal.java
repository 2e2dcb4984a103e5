package io.lossprism.training;

import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.TrainingStatus;

/**
 * Where a run's history is kept, and the one way it is written. While a run trains, only its training
 * verticle writes, on its own thread: a report is stored before the checkpoint that covers it, so after
 * a crash history and checkpoint agree, and an alert transition never lands in the middle of a rewind.
 * A write that fails because the disk is full throws {@link DiskFullException}; nothing of it was stored.
 */
public interface RunJournal {

    /** Stores a batch or validation report; durable when it returns. */
    void record(BatchReport report);

    /** Stores the run's state and counters. */
    void record(TrainingStatus status);

    /** Stores the run's state and message only, keeping its stored iteration and epoch. */
    void recordState(TrainingStatus status);

    /** The highest iteration of the run's stored history (any split); 0 when none. */
    long lastIteration();

    /** Stores an alert transition evaluated on one of the run's reports. */
    void record(AlertEvent alert);

    /** Drops the history after {@code iteration}: the run continues from a checkpoint taken there. */
    void rewind(long iteration);

    /** Applies retention once {@code iteration} iterations are done: old detail is merged, not dropped. */
    void compact(long iteration);
}
