package io.lossprism.ingest;

import java.util.List;

/**
 * One batch record as received, checked.
 *
 * @param step      1-based step of the run; with the split, the record's identity (a retry repeats it)
 * @param loss      the loss the framework reported for the batch; NaN when not sent
 * @param timestamp epoch milliseconds the client gave, or 0 for the time it arrived
 */
public record BatchRecord(
        long step, int epoch, String split, int images, double loss, long timestamp, List<ClassSums> classes) {

    public BatchRecord {
        classes = List.copyOf(classes);
    }
}
