package io.lossprism.store;

/** Report rows of a run before and after {@link RunStore#downsample}. */
public record RetentionResult(int rowsBefore, int rowsAfter) {

    /** Rows that retention replaced by their means. */
    public int rowsRemoved() {
        return rowsBefore - rowsAfter;
    }
}
