/**
 * Reading and writing NumPy {@code .npy} files: {@link io.lossprism.npy.NpyReader} reads a whole
 * array (format versions 1.0, 2.0 and 3.0; float32, float64, int32, int64, uint8 and bool, either
 * byte order, C or Fortran order) into an {@link io.lossprism.npy.NpyArray} of {@code double}
 * values in C order, and {@link io.lossprism.npy.NpyWriter} writes float64 files for tests and tools.
 *
 * <p>The reader is strict and bounded: the header is parsed as the small Python literal it is meant
 * to be, anything else is refused with a one-line {@link io.lossprism.npy.NpyFormatException} naming
 * the file, and arrays over 2<sup>31</sup>-1 elements or headers over 64 KiB are refused before any
 * large allocation. Nothing here depends on anything but the JDK.
 */
package io.lossprism.npy;
