package io.lossprism.store;

import java.nio.file.Path;

/**
 * The run history could not grow: SQLite answered SQLITE_FULL (the disk, or the file system's quota, is
 * full). Nothing of the failed write was stored; what was committed before stays, and writing works again
 * once there is room. The message names the folder and how much room SQLite needs.
 */
public final class StoreFullException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final transient Path folder;

    StoreFullException(String message, Path folder, Throwable cause) {
        super(message, cause);
        this.folder = folder;
    }

    /** The folder that ran out of room: the history's own. */
    public Path folder() {
        return folder;
    }
}
