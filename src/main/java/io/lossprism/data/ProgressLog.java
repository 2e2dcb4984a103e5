package io.lossprism.data;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress lines for a long load: one per tenth of the images, or after 10 s without one, but never
 * within 2 s of the previous line (or the start), so a quick load stays silent and a slow one shows it
 * is alive. The last image gets no line: the loader logs a summary.
 */
final class ProgressLog implements ProgressListener {

    private static final Logger LOG = LoggerFactory.getLogger(FolderDataset.class);
    static final long MIN_GAP_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long MAX_GAP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LongSupplier clock;
    private final Consumer<String> out;
    private long lastTime;
    private int lastDone;

    ProgressLog(LongSupplier nanoClock, Consumer<String> out) {
        this.clock = nanoClock;
        this.out = out;
        this.lastTime = nanoClock.getAsLong();
    }

    static ProgressLog toLog() {
        return new ProgressLog(System::nanoTime, LOG::info);
    }

    @Override
    public void loaded(int done, int total) {
        if (done >= total) {
            return;
        }
        long now = clock.getAsLong();
        long gap = now - lastTime;
        boolean tenth = (long) (done - lastDone) * 10 >= total;
        if (gap >= MIN_GAP_NANOS && (tenth || gap >= MAX_GAP_NANOS)) {
            out.accept("loading dataset: " + done + "/" + total + " images");
            lastTime = now;
            lastDone = done;
        }
    }
}
