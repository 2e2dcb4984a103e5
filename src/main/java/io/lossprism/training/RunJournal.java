package io.lossprism.training;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.TrainingStatus;

/**
 * Where a run's history is kept. Training writes through it on its own thread, so a report is stored
 * before the checkpoint that covers it: after a crash, history and checkpoint agree.
 */
public interface RunJournal {

    /** Stores a batch or validation report; durable when it returns. */
    void record(BatchReport report);

    /** Stores the run's state and counters. */
    void record(TrainingStatus status);

    /** Drops the history after {@code iteration}: the run continues from a checkpoint taken there. */
    void rewind(long iteration);

    /** Applies retention once {@code iteration} iterations are done: old detail is merged, not dropped. */
    void compact(long iteration);
}
