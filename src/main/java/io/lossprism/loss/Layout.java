package io.lossprism.loss;

import java.util.Locale;

/** Where the class axis sits in a flattened [N, C, positions] tensor. */
public enum Layout {
    /** Class axis second (PyTorch, DL4J): index = (n * C + c) * P + p. */
    NCHW,
    /** Class axis last (Keras): index = (n * P + p) * C + c. */
    NHWC;

    int index(BatchShape s, int n, int c, int p) {
        return this == NCHW ? (n * s.classes() + c) * s.pixels() + p : (n * s.pixels() + p) * s.classes() + c;
    }

    /** Distance between two neighbouring positions of one class. */
    int pixelStride(BatchShape s) {
        return this == NCHW ? 1 : s.classes();
    }

    /** Distance between two neighbouring classes at one position. */
    int classStride(BatchShape s) {
        return this == NCHW ? s.pixels() : 1;
    }

    public static Layout parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
