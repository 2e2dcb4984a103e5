package io.lossprism.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link RunStoreCrashIT}: writes to a store as fast as it can, mixing every kind of
 * write (single and batched reports, alerts, run updates, retention), and prints {@code committed N} once
 * everything up to iteration N has been committed, until it is killed.
 *
 * <p>Arguments: the data directory and the first iteration to write.
 */
public final class CrashingWriter {

    static final String RUN = "crash";
    static final String ACK = "committed ";

    private CrashingWriter() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long next = Long.parseLong(args[1]);
        RunStore store = RunStore.open(dir);
        if (store.run(RUN).isEmpty()) {
            store.createRun(RUN, "{\"purpose\":\"crash test\"}", System.currentTimeMillis());
        }
        while (true) {
            long from = next;
            long to = from % 7 == 0 ? from + 4 : from;
            List<ReportRow> rows = new ArrayList<>();
            for (long i = from; i <= to; i++) {
                rows.add(new ReportRow("train", i, SampleReports.realistic(i)));
            }
            store.appendReports(RUN, rows);
            if (crossed(from, to, 50)) {
                store.appendAlert(RUN, to, System.currentTimeMillis(), "{\"iteration\":" + to + "}");
            }
            if (crossed(from, to, 100)) {
                store.downsample(RUN, to - 50, 10);
                store.updateRun(RUN, "running", to, 0, null, System.currentTimeMillis());
            }
            System.out.println(ACK + to);
            System.out.flush();
            next = to + 1;
        }
    }

    /** Whether [from, to] contains a multiple of {@code every}. */
    private static boolean crossed(long from, long to, long every) {
        return to / every > (from - 1) / every;
    }
}
