package io.lossprism.npy;

import java.io.IOException;

/**
 * A {@code .npy} file that cannot be read: bad magic, unsupported version or dtype, malformed
 * header, truncated or over-long data, or an array too large to hold. The message is one line and
 * starts with the file's name, e.g. {@code "y_true.npy: truncated data: expected 480 bytes, found 100"}.
 */
public final class NpyFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
