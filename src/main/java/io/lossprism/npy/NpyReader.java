package io.lossprism.npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads a whole NumPy {@code .npy} file into an {@link NpyArray}.
 *
 * <p>Accepted: format versions 1.0, 2.0 and 3.0; dtypes float32, float64, int32, int64, uint8 and
 * bool in either byte order; C or Fortran order (Fortran is converted to C order); any rank,
 * including 0, and empty arrays. Values are converted exactly to {@code double}: an int64 whose
 * magnitude exceeds 2<sup>53</sup> and a bool byte other than 0 or 1 are refused.
 *
 * <p>Refused, each with a one-line {@link NpyFormatException} that starts with the file's name: bad
 * magic, other versions, other dtypes, a header that is not exactly the expected dict, a header
 * over 64 KiB, more than 2<sup>31</sup>-1 elements, truncated data and bytes after the data. When
 * the length of the input is known (a regular file), short or long data is detected before any array
 * is allocated; from a stream the array grows as data arrives, so a lying header costs no more memory
 * than the bytes actually sent.
 */
public final class NpyReader {

    /** The largest header accepted, in bytes. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    /** The largest element count accepted. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Bytes read and decoded at a time; a multiple of every item size. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** The first allocation for a stream whose length is unknown, in elements. */
    private static final int INITIAL_ELEMENTS = 1 << 16;

    /** Integers up to this magnitude are exact as doubles. */
    private static final long MAX_EXACT_LONG = 1L << 53;

    private NpyReader() {}

    /**
     * Reads a {@code .npy} file.
     *
     * @throws NpyFormatException if the file is not a readable {@code .npy} file; the message starts
     *     with the path
     * @throws IOException if the file cannot be read; the message names the path
     */
    public static NpyArray read(Path file) throws IOException {
        String name = file.toString();
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new FileSystemException(name, null, "is a directory, not a .npy file");
            }
            long length = attributes.isRegularFile() ? attributes.size() : -1;
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, name, length);
            }
        } catch (NpyFormatException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name, null, "no such file");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(name, null, "permission denied");
        } catch (FileSystemException e) {
            if (name.equals(e.getFile()) && e.getOtherFile() == null && e.getReason() != null) {
                throw e;
            }
            throw new FileSystemException(name, null, e.getReason() != null ? e.getReason() : "cannot read");
        } catch (IOException e) {
            throw withName(e, name);
        }
    }

    /**
     * Reads a {@code .npy} array from a stream, to its end: bytes after the array are an error. The
     * stream is not closed.
     *
     * @param name what to call the input in messages, typically its file name
     * @throws NpyFormatException if the input is not a readable {@code .npy} array; the message starts
     *     with {@code name}
     * @throws IOException if the stream fails; the message starts with {@code name}
     */
    public static NpyArray read(InputStream in, String name) throws IOException {
        String label = name == null ? "<input>" : name;
        try {
            return read(in, label, -1);
        } catch (NpyFormatException e) {
            throw e;
        } catch (IOException e) {
            throw withName(e, label);
        }
    }

    private static IOException withName(IOException e, String name) {
        String message = e.getMessage();
        if (message != null && message.startsWith(name + ":")) {
            return e;
        }
        return new IOException(
                name + ": read failed: "
                        + (message != null ? message : e.getClass().getSimpleName()),
                e);
    }

    /** @param length the input's length in bytes, or -1 when unknown */
    private static NpyArray read(InputStream in, String name, long length) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (magic.length == 0) {
            throw new NpyFormatException(name + ": not a .npy file (empty)");
        }
        if (!Arrays.equals(magic, 0, magic.length, MAGIC, 0, magic.length)) {
            throw new NpyFormatException(name + ": not a .npy file (bad magic)");
        }
        if (magic.length < MAGIC.length) {
            throw truncatedHeader(name, "magic string", MAGIC.length, magic.length);
        }

        byte[] version = in.readNBytes(2);
        if (version.length < 2) {
            throw truncatedHeader(name, "version", 2, version.length);
        }
        int major = version[0] & 0xff;
        int minor = version[1] & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw new NpyFormatException(
                    name + ": unsupported .npy format version " + major + "." + minor + "; supported: 1.0, 2.0, 3.0");
        }

        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw truncatedHeader(name, "header length", lengthBytes, lengthField.length);
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = (headerLength << 8) | (lengthField[i] & 0xff);
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException(
                    name + ": header too large: " + headerLength + " bytes (limit " + MAX_HEADER_BYTES + ")");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw truncatedHeader(name, "header", headerLength, headerBytes.length);
        }
        String text = major == 3 ? utf8(headerBytes, name) : new String(headerBytes, StandardCharsets.ISO_8859_1);
        NpyHeader header = NpyHeader.parse(text, name, MAX_ELEMENTS);

        int size = (int) header.size();
        NpyDtype type = header.descr().type();
        long expected = header.size() * type.itemSize;
        if (length >= 0) {
            long available = length - (MAGIC.length + 2 + lengthBytes + headerLength);
            checkDataLength(name, expected, available);
        }

        double[] values = allocate(name, size, length >= 0 ? size : Math.min(size, INITIAL_ELEMENTS));
        int count = 0;
        if (expected > 0) {
            byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, expected)];
            ByteBuffer buffer = ByteBuffer.wrap(chunk).order(header.descr().order());
            long remaining = expected;
            while (remaining > 0) {
                int want = (int) Math.min(chunk.length, remaining);
                int got = in.readNBytes(chunk, 0, want);
                int elements = got / type.itemSize;
                if (count + elements > values.length) {
                    values = grow(name, values, count + elements, size);
                }
                decode(name, type, buffer, elements, values, count);
                count += elements;
                remaining -= got;
                if (got < want) {
                    checkDataLength(name, expected, expected - remaining);
                }
            }
        }
        int extra = in.read();
        if (extra >= 0) {
            long more = in.transferTo(OutputStream.nullOutputStream());
            checkDataLength(name, expected, expected + 1 + more);
        }

        if (header.fortranOrder() && header.shape().length > 1 && size > 1) {
            values = fortranToC(name, values, header.shape());
        }
        return new NpyArray(header.shape(), values, type.label);
    }

    private static String utf8(byte[] bytes, String name) throws NpyFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new NpyFormatException(name + ": malformed header: not valid UTF-8 (version 3.0 header)");
        }
    }

    private static NpyFormatException truncatedHeader(String name, String part, long expected, long found) {
        return new NpyFormatException(
                name + ": truncated header: expected " + expected + " bytes of " + part + ", found " + found);
    }

    private static void checkDataLength(String name, long expected, long found) throws NpyFormatException {
        if (found < expected) {
            throw new NpyFormatException(
                    name + ": truncated data: expected " + expected + " bytes, found " + Math.max(found, 0));
        }
        if (found > expected) {
            long extra = found - expected;
            throw new NpyFormatException(
                    name + ": " + extra + " unexpected byte" + (extra == 1 ? "" : "s") + " after the data");
        }
    }

    private static double[] allocate(String name, int size, int length) throws NpyFormatException {
        try {
            return new double[length];
        } catch (OutOfMemoryError e) {
            throw tooLargeForMemory(name, size);
        }
    }

    private static double[] grow(String name, double[] values, int needed, int size) throws NpyFormatException {
        int length = (int) Math.min(size, Math.max(needed, 2L * values.length));
        try {
            return Arrays.copyOf(values, length);
        } catch (OutOfMemoryError e) {
            throw tooLargeForMemory(name, size);
        }
    }

    private static NpyFormatException tooLargeForMemory(String name, long size) {
        return new NpyFormatException(name + ": array of " + size + " elements (" + (size * 8 >> 20)
                + " MiB as float64) does not fit in memory");
    }

    /** Decodes {@code elements} items from the start of {@code buffer} into {@code out[offset...]}. */
    private static void decode(String name, NpyDtype type, ByteBuffer buffer, int elements, double[] out, int offset)
            throws NpyFormatException {
        switch (type) {
            case FLOAT32 -> {
                for (int i = 0; i < elements; i++) {
                    out[offset + i] = buffer.getFloat(i << 2);
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < elements; i++) {
                    out[offset + i] = buffer.getDouble(i << 3);
                }
            }
            case INT32 -> {
                for (int i = 0; i < elements; i++) {
                    out[offset + i] = buffer.getInt(i << 2);
                }
            }
            case INT64 -> {
                for (int i = 0; i < elements; i++) {
                    long v = buffer.getLong(i << 3);
                    if (v > MAX_EXACT_LONG || v < -MAX_EXACT_LONG) {
                        throw new NpyFormatException(name + ": int64 value " + v + " at element " + (offset + i)
                                + " cannot be represented exactly as a double (limit +/-2^53)");
                    }
                    out[offset + i] = v;
                }
            }
            case UINT8 -> {
                for (int i = 0; i < elements; i++) {
                    out[offset + i] = buffer.get(i) & 0xff;
                }
            }
            case BOOL -> {
                for (int i = 0; i < elements; i++) {
                    byte b = buffer.get(i);
                    if (b != 0 && b != 1) {
                        throw new NpyFormatException(name + ": invalid bool byte " + (b & 0xff) + " at element "
                                + (offset + i) + " (must be 0 or 1)");
                    }
                    out[offset + i] = b;
                }
            }
        }
    }

    /** Reorders column-major values into row-major order. */
    private static double[] fortranToC(String name, double[] fortran, long[] shape) throws NpyFormatException {
        int rank = shape.length;
        double[] c = allocate(name, fortran.length, fortran.length);
        // C-order strides, walked in Fortran order: the first index varies fastest
        long[] stride = new long[rank];
        stride[rank - 1] = 1;
        for (int k = rank - 2; k >= 0; k--) {
            stride[k] = stride[k + 1] * shape[k + 1];
        }
        long[] index = new long[rank];
        long offset = 0;
        for (int i = 0; i < fortran.length; i++) {
            c[(int) offset] = fortran[i];
            for (int k = 0; k < rank; k++) {
                if (++index[k] < shape[k]) {
                    offset += stride[k];
                    break;
                }
                offset -= (shape[k] - 1) * stride[k];
                index[k] = 0;
            }
        }
        return c;
    }
}
