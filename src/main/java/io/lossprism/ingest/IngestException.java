package io.lossprism.ingest;

/**
 * A refused ingest request: the HTTP status, and the field it is about (a path such as
 * {@code records[3].classes[1].tp}, or {@code body}), which the JSON error names.
 */
public final class IngestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;

    public IngestException(int status, String field, String message) {
        super(field + ": " + message);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
