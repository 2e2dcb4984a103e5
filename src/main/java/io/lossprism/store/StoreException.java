package io.lossprism.store;

/**
 * The run history cannot be read or written: the file is not a database, belongs to a newer LossPrism,
 * is unreadable, or SQLite refused a statement. The message always names the database file.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
