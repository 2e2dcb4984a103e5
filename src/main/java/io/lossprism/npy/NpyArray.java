package io.lossprism.npy;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense n-dimensional array read from a {@code .npy} file.
 *
 * <p>{@code values} always holds the elements in C (row-major) order, whatever the order of the
 * file, converted exactly to {@code double}. The arrays are not copied: callers must not change them
 * if the record is shared. {@link #equals} and {@link #hashCode} compare contents.
 *
 * @param shape the dimensions, outermost first; empty for a scalar (rank 0)
 * @param values the {@link #size()} elements in C order
 * @param dtype the file's element type: float32, float64, int32, int64, uint8 or bool (not compared by
 *              {@link #equals})
 */
public record NpyArray(long[] shape, double[] values, String dtype) {

    public NpyArray {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(dtype, "dtype");
        long size = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size = size == 0 || d == 0 ? 0 : Math.multiplyExact(size, d);
        }
        if (size != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + size + " elements but "
                    + values.length + " values were given");
        }
    }

    /** An array of float64 values. */
    public NpyArray(long[] shape, double[] values) {
        this(shape, values, "float64");
    }

    /** The number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements: the product of the shape, 1 for rank 0. */
    public long size() {
        return values.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray other && Arrays.equals(shape, other.shape) && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NpyArray[shape=")
                .append(Arrays.toString(shape))
                .append(", values=[");
        int shown = Math.min(values.length, 8);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        if (shown < values.length) {
            sb.append(", ... (").append(values.length).append(" in all)");
        }
        return sb.append("]]").toString();
    }
}
