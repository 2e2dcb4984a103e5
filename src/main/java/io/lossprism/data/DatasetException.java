package io.lossprism.data;

import java.nio.file.Path;

/**
 * A dataset that cannot be used: a folder that is missing or empty, or one bad file. The message names
 * the path and what is wrong, so it can be shown to the user as it is.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String reason;

    /** A problem with the dataset as a whole; the message should name the config key to change. */
    public DatasetException(String message) {
        super(message);
        this.path = null;
        this.reason = message;
    }

    /** A problem with one file (or a file that should exist): "path: reason". */
    public DatasetException(Path path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    /** The file at fault, or null when the problem is with the dataset as a whole. */
    public Path path() {
        return path;
    }

    /** What is wrong, without the path. */
    public String reason() {
        return reason;
    }
}
