package io.lossprism.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;

/** Writes a dataset folder of real PNG and JPEG files for the tests. */
final class DatasetFolder {

    final Path root;
    final Path images;
    final Path masks;

    DatasetFolder(Path root) {
        this.root = root;
        this.images = root.resolve("images");
        this.masks = root.resolve("masks");
        try {
            Files.createDirectories(images);
            Files.createDirectories(masks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An RGB image whose pixel (x, y) is rgb.applyAsInt(x, y) as 0xRRGGBB. */
    Path rgb(String fileName, int width, int height, IntBinaryOperator rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb.applyAsInt(x, y));
            }
        }
        return write(image, images.resolve(fileName));
    }

    /** A plain grey 8x8 PNG image, for tests that only count images. */
    Path plain(String name) {
        return rgb(name + ".png", 8, 8, (x, y) -> 0x808080);
    }

    /** A binary mask masks/name/cls.png: white where positive, black elsewhere. */
    Path binary(String name, String cls, int width, int height, BinaryPixel positive) {
        return write(
                grey(width, height, (x, y) -> positive.test(x, y) ? 255 : 0),
                masks.resolve(name).resolve(cls + ".png"));
    }

    /** Binary masks for every class, all background, for a plain image. */
    void emptyBinary(String name, List<String> classes, int width, int height) {
        for (String cls : classes) {
            binary(name, cls, width, height, (x, y) -> false);
        }
    }

    /** An index mask masks/name.png: grey level = class index, 0 = background. */
    Path index(String name, int width, int height, IntBinaryOperator value) {
        return write(grey(width, height, value), masks.resolve(name + ".png"));
    }

    static BufferedImage grey(int width, int height, IntBinaryOperator value) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, value.applyAsInt(x, y));
            }
        }
        return image;
    }

    Path write(BufferedImage image, Path file) {
        String fileName = file.getFileName().toString();
        String format = fileName.endsWith(".png") ? "png" : "jpg";
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    Path bytes(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    interface BinaryPixel {
        boolean test(int x, int y);
    }
}
