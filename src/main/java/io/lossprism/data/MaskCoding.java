package io.lossprism.data;

import java.util.Locale;

/** How the masks of a folder dataset are stored ({@code data.masks}). */
public enum MaskCoding {
    /** Per image, a binary mask folder if there is one, otherwise an index mask. */
    AUTO,
    /** {@code masks/<name>/<class>.png}: one black-and-white PNG per class. */
    BINARY,
    /** {@code masks/<name>.png}: pixel value k is class k (1-based), 0 is background. */
    INDEX;

    /** The enum for a config value such as "auto". */
    public static MaskCoding parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
