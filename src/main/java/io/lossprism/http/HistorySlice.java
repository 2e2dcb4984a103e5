package io.lossprism.http;

import java.util.List;

/**
 * Reports of one split after an iteration, as a {@code history} message carries them.
 *
 * @param after       exclusive lower iteration bound
 * @param total       reports the server holds in the range
 * @param downsampled whether {@code reports} is a selection of those, keeping every series' extremes
 * @param reports     the batch JSON of each selected report, by iteration
 */
public record HistorySlice(String split, long after, int total, boolean downsampled, List<String> reports) {

    public HistorySlice {
        reports = List.copyOf(reports);
    }
}
