package io.lossprism.training;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A run cannot be resumed: its stored history goes beyond iteration 0 but no checkpoint of it can be read.
 * Its history is kept as it is; the message names the checkpoint files and why each could not be read,
 * and what the user can do.
 */
public final class UnresumableRunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long storedIteration;

    UnresumableRunException(String message, long storedIteration) {
        super(message);
        this.storedIteration = storedIteration;
    }

    /** The last iteration of the kept history. */
    public long storedIteration() {
        return storedIteration;
    }

    static UnresumableRunException of(Path dir, List<Checkpoints.Unreadable> unreadable, long storedIteration) {
        String files = unreadable.isEmpty()
                ? "there is no checkpoint in " + dir
                : "no checkpoint in " + dir + " can be read: "
                        + unreadable.stream()
                                .map(u -> u.file().getFileName() + " (" + u.reason() + ")")
                                .collect(Collectors.joining(", "));
        return new UnresumableRunException(
                "cannot resume: " + files + "; the history, up to iteration " + storedIteration
                        + ", is kept. Start a new run, or put a readable checkpoint back into " + dir
                        + " and resume this one",
                storedIteration);
    }
}
