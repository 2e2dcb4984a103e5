package io.lossprism.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Recognises SQLite's "database or disk is full" and says how much room a folder has and needs. */
final class DiskFull {

    private DiskFull() {}

    /** Whether SQLite answered SQLITE_FULL (any extended code) anywhere in {@code e}'s causes or suppressed. */
    static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s && (s.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_FULL.code) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (causedBy(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "needs about 16.4 MB free in /x, 0.2 MB free": what to free, where. */
    static String describe(Path folder, long neededBytes) {
        return "needs about " + megabytes(neededBytes) + " free in " + folder + ", " + free(folder);
    }

    private static String free(Path folder) {
        try {
            return megabytes(Files.getFileStore(folder).getUsableSpace()) + " free";
        } catch (IOException e) {
            return "free space unknown (" + e.getMessage() + ")";
        }
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
