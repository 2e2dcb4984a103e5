package io.lossprism.data;

import java.util.Locale;

/** Which part of a dataset a batch or report comes from. */
public enum Split {
    TRAIN,
    VALIDATION;

    /** Lower-case name used in metrics labels, JSON and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
