package io.lossprism.store;

/**
 * The run history file is damaged (SQLite's integrity check found a problem): it is refused before anything
 * is written into it. The message names the file, the first problem and what to do, on one line.
 */
public final class CorruptStoreException extends StoreException {

    private static final long serialVersionUID = 1L;

    CorruptStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
