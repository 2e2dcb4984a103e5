package io.lossprism.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A valid-looking PNG of a few dozen bytes whose header declares a huge image: signature, an IHDR with
 * correct CRC, one IDAT holding a few compressed zero bytes, and IEND. A decoder that trusts the header
 * allocates the whole image before finding the data short.
 */
final class PngBomb {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** PNG colour type 2: RGB, three samples per pixel. */
    static final int RGB = 2;

    private PngBomb() {}

    static byte[] of(int width, int height, int bitDepth, int colourType) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        chunk(
                out,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put((byte) bitDepth)
                        .put((byte) colourType)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[16]);
        deflater.finish();
        byte[] compressed = new byte[64];
        int length = deflater.deflate(compressed);
        deflater.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, length));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
