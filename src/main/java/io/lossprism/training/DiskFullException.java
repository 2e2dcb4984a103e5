package io.lossprism.training;

import java.nio.file.Path;

/**
 * A run's checkpoint or history could not be written because its folder's disk is full. The message says
 * which folder and about how much room is needed; nothing half-written was left behind.
 */
public final class DiskFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path folder;

    public DiskFullException(String message, Path folder, Throwable cause) {
        super(message, cause);
        this.folder = folder;
    }

    /** The folder that ran out of room. */
    public Path folder() {
        return folder;
    }

    /** Whether {@code e}, or a cause of it, is the operating system's "no space left" (or "quota exceeded"). */
    static boolean noSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t instanceof java.nio.file.FileSystemException f ? f.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
