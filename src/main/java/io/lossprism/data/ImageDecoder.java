package io.lossprism.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Decodes one image file with ImageIO, turning every way it can fail into a bad-file error. */
final class ImageDecoder {

    private ImageDecoder() {
    }

    /** @throws DatasetException when the file cannot be read or decoded */
    static BufferedImage read(Path path) {
        BufferedImage image;
        try {
            image = ImageIO.read(path.toFile());
        } catch (IOException | RuntimeException e) {
            // corrupt data surfaces as IIOException, and from some decoders as runtime exceptions
            throw new DatasetException(path, "cannot decode: " + why(e));
        }
        if (image == null) {
            throw new DatasetException(path, "cannot decode: not a PNG or JPEG image");
        }
        return image;
    }

    /** The exception's message and those of its first causes: ImageIO's own messages are vague. */
    private static String why(Throwable e) {
        StringBuilder text = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
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
