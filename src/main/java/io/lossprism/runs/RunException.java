package io.lossprism.runs;

/** A run request that cannot be done, with the HTTP status that says why (404 unknown run, 409 wrong state...). */
public final class RunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public RunException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** With the failure that made the request impossible, e.g. a network file that no longer matches. */
    public RunException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
