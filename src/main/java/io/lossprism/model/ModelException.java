package io.lossprism.model;

/**
 * A network file that cannot be used, or a network that does not fit the data: bad input like a bad
 * configuration value, so its message is one line that names the file and what does not fit.
 */
public final class ModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
