package io.lossprism.store;

/** Report rows of a run before and after {@link RunStore#downsample}. */
public record RetentionResult(int rowsBefore, int rowsAfter) {}
