package io.lossprism.data;

import java.util.Locale;

/** How an image of any size is fitted to the square training size ({@code data.resize}). */
public enum Resize {
    /** Scale width and height independently: the whole image is kept, shapes may be distorted. */
    STRETCH,
    /** Scale the shorter side to the training size and cut the centre square: no distortion, edges lost. */
    CROP;

    /** The enum for a config value such as "stretch". */
    public static Resize parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The part of a width x height source that is scaled to the target: {x, y, width, height}. */
    int[] window(int width, int height) {
        if (this == STRETCH) {
            return new int[] {0, 0, width, height};
        }
        int side = Math.min(width, height);
        return new int[] {(width - side) / 2, (height - side) / 2, side, side};
    }
}
