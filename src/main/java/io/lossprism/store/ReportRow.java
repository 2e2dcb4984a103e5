package io.lossprism.store;

import java.util.Objects;

/** A report to append: its split, its iteration and its JSON text. */
public record ReportRow(String split, long iteration, String json) {

    public ReportRow {
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(json, "json");
    }
}
