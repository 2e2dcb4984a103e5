package io.lossprism.compare;

import java.util.Locale;

/** The per-class numbers a comparison carries, named as in the reports' JSON. */
public enum Metric {
    IOU,
    DICE,
    /** The class's term of the loss. */
    LOSS;

    /** The JSON field: iou, dice or loss. */
    public String field() {
        return name().toLowerCase(Locale.ROOT);
    }
}
