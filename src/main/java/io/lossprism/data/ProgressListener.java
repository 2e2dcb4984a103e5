package io.lossprism.data;

/** Told how far a dataset load has got, for a progress line or a status page. */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = (done, total) -> {};

    /** Called on the loading thread after each image, loaded or skipped. */
    void loaded(int done, int total);

    /** Logs "loading dataset: 1000/25000 images" now and then; see {@link ProgressLog}. */
    static ProgressListener log() {
        return ProgressLog.toLog();
    }
}
