package io.lossprism.cli;

/** A problem with the user's arguments or files: printed as one line, exit status 2. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message, null, false, false);
    }
}
