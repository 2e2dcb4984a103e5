package io.lossprism.data;

/** One image of a folder dataset as stored: RGB bytes (CHW) and per-class mask bits (see {@link MaskFitter}). */
record LoadedImage(String name, byte[] rgb, long[] mask) {

    /** Bytes held, including the two arrays' headers. */
    long memoryBytes() {
        return rgb.length + 8L * mask.length + 2 * 16;
    }
}
