package io.lossprism.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * One image file with its header read and its pixels not yet decoded: the size and bit depth it declares
 * are known before anything as large as the image is allocated (a 69-byte PNG can declare 20,000 x 20,000
 * 16-bit pixels). Every way the file can fail is a bad-file error naming it. Close it after use.
 */
final class ImageDecoder implements AutoCloseable {

    private final Path path;
    private final ImageInputStream stream;
    private final ImageReader reader;
    private final int width;
    private final int height;
    private final int bitsPerSample;
    private final long decodedBytes;
    private boolean closed;

    private ImageDecoder(
            Path path,
            ImageInputStream stream,
            ImageReader reader,
            int width,
            int height,
            int bitsPerSample,
            long decodedBytes) {
        this.path = path;
        this.stream = stream;
        this.reader = reader;
        this.width = width;
        this.height = height;
        this.bitsPerSample = bitsPerSample;
        this.decodedBytes = decodedBytes;
    }

    /**
     * Opens {@code path} and reads its header only.
     *
     * @throws DatasetException when the file cannot be read or is not a PNG or JPEG image
     */
    static ImageDecoder open(Path path) {
        ImageInputStream stream;
        try {
            stream = ImageIO.createImageInputStream(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DatasetException(path, "cannot read: " + why(e));
        }
        if (stream == null) {
            throw new DatasetException(path, "cannot read");
        }
        ImageReader reader = null;
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new DatasetException(path, "cannot decode: not a PNG or JPEG image");
            }
            reader = readers.next();
            // metadata is skipped: compressed text and colour-profile chunks would be inflated otherwise
            reader.setInput(stream, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            // the type read() decodes into by default (ImageReader.getDestination takes the first)
            ImageTypeSpecifier type = reader.getImageTypes(0).next();
            long bytes = ((long) width * height * bitsPerPixel(type.getSampleModel()) + 7) / 8;
            return new ImageDecoder(path, stream, reader, width, height, type.getBitsPerBand(0), bytes);
        } catch (DatasetException e) {
            close(reader, stream);
            throw e;
        } catch (IOException | RuntimeException e) {
            close(reader, stream);
            throw new DatasetException(path, "cannot decode: " + why(e));
        }
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    long pixels() {
        return (long) width * height;
    }

    /** Bits of one sample (one channel of one pixel) as the header declares it: 1, 2, 4, 8 or 16. */
    int bitsPerSample() {
        return bitsPerSample;
    }

    /** About how many bytes the decoded image takes: its pixels in the type the decoder writes them to. */
    long decodedBytes() {
        return decodedBytes;
    }

    /** "20000x20000 (400000000 pixels, 16 bits per sample)", for messages. */
    String describe() {
        return width + "x" + height + " (" + pixels() + " pixels, " + bitsPerSample + " bits per sample)";
    }

    /** @throws DatasetException when the pixel data cannot be decoded */
    BufferedImage decode() {
        try {
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            // corrupt data surfaces as IIOException, and from some decoders as runtime exceptions
            throw new DatasetException(path, "cannot decode: " + why(e));
        }
    }

    /** Lets go of the file and of the decoded image, which the reader holds until then. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            close(reader, stream);
        }
    }

    private static int bitsPerPixel(SampleModel model) {
        if (model instanceof MultiPixelPackedSampleModel packed) {
            return packed.getPixelBitStride();
        }
        return DataBuffer.getDataTypeSize(model.getDataType()) * model.getNumDataElements();
    }

    private static void close(ImageReader reader, ImageInputStream stream) {
        if (reader != null) {
            reader.dispose();
        }
        try {
            stream.close();
        } catch (IOException e) {
            // nothing was written: a failed close of a file opened for reading loses nothing
        }
    }

    /** The exception's message and those of its first causes: ImageIO's own messages are vague. */
    private static String why(Throwable e) {
        StringBuilder text = new StringBuilder(
                e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
            text.append(" (").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                text.append(": ").append(cause.getMessage());
            }
            text.append(')');
        }
        return text.toString();
    }
}
