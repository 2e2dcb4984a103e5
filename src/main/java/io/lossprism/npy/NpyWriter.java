package io.lossprism.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/** Writes float64 {@code .npy} files: format version 1.0, descr {@code '<f8'}, C order. */
public final class NpyWriter {

    private static final int CHUNK_ELEMENTS = 1 << 16;

    private NpyWriter() {}

    /**
     * Writes {@code cOrderValues} with the given shape, replacing any existing file.
     *
     * @throws IllegalArgumentException if a dimension is negative or the shape's element count is not
     *     the number of values
     */
    public static void write(Path file, long[] shape, double[] cOrderValues) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] header = header(shape, cOrderValues);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header);
            ByteBuffer buffer = ByteBuffer.allocate(8 * Math.min(CHUNK_ELEMENTS, Math.max(cOrderValues.length, 1)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int start = 0; start < cOrderValues.length; start += CHUNK_ELEMENTS) {
                int end = Math.min(cOrderValues.length, start + CHUNK_ELEMENTS);
                buffer.clear();
                buffer.asDoubleBuffer().put(cOrderValues, start, end - start);
                out.write(buffer.array(), 0, (end - start) * 8);
            }
        }
    }

    /** Magic, version 1.0, header length and the header dict, padded to a multiple of 64 bytes. */
    static byte[] header(long[] shape, double[] values) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        StringBuilder dims = new StringBuilder("(");
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size = size == 0 || shape[i] == 0 ? 0 : Math.multiplyExact(size, shape[i]);
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dims.append(shape.length == 1 ? ",)" : ")");
        if (size != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + size + " elements but "
                    + values.length + " values were given");
        }
        StringBuilder dict = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': ")
                .append(dims)
                .append(", }");
        int prefix = 10; // magic, version, 2-byte header length
        int total = prefix + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        dict.append(" ".repeat(padded - total)).append('\n');
        int headerLength = dict.length();
        if (headerLength > 0xffff) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " is too long for a version 1.0 header");
        }
        byte[] bytes = new byte[prefix + headerLength];
        bytes[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, bytes, 1, 5);
        bytes[6] = 1;
        bytes[7] = 0;
        bytes[8] = (byte) headerLength;
        bytes[9] = (byte) (headerLength >> 8);
        System.arraycopy(dict.toString().getBytes(StandardCharsets.US_ASCII), 0, bytes, prefix, headerLength);
        return bytes;
    }
}
