package io.lossprism.npy;

import java.nio.ByteOrder;

/** The element types the reader accepts, keyed by their numpy {@code descr} string. */
enum NpyDtype {
    FLOAT32("float32", 4),
    FLOAT64("float64", 8),
    INT32("int32", 4),
    INT64("int64", 8),
    UINT8("uint8", 1),
    BOOL("bool", 1);

    /** Listed in every "unsupported dtype" message. */
    static final String SUPPORTED = "float32, float64, int32, int64, uint8, bool";

    final String label;
    final int itemSize;

    NpyDtype(String label, int itemSize) {
        this.label = label;
        this.itemSize = itemSize;
    }

    /** An accepted descr: the type and the byte order of its elements. */
    record Descr(NpyDtype type, ByteOrder order) {}

    /**
     * Looks up a descr such as {@code "<f4"} or {@code "|u1"}; null when unsupported. Multi-byte
     * types need an explicit {@code <} or {@code >}; one-byte types take {@code |}, {@code <} or {@code >}.
     */
    static Descr lookup(String descr) {
        if (descr.length() != 3) {
            return null;
        }
        char orderChar = descr.charAt(0);
        NpyDtype type = switch (descr.substring(1)) {
            case "f4" -> FLOAT32;
            case "f8" -> FLOAT64;
            case "i4" -> INT32;
            case "i8" -> INT64;
            case "u1" -> UINT8;
            case "b1" -> BOOL;
            default -> null;
        };
        if (type == null) {
            return null;
        }
        return switch (orderChar) {
            case '<' -> new Descr(type, ByteOrder.LITTLE_ENDIAN);
            case '>' -> new Descr(type, ByteOrder.BIG_ENDIAN);
            case '|' -> type.itemSize == 1 ? new Descr(type, ByteOrder.LITTLE_ENDIAN) : null;
            default -> null;
        };
    }
}
