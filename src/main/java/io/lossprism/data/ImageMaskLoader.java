package io.lossprism.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads one image of a dataset folder and its masks, fitted to the training size. Everything that
 * makes the pair unusable is a {@link DatasetException} naming the file at fault. Stateless: one
 * instance serves every loading thread.
 */
final class ImageMaskLoader {

    private final Path masks;
    private final List<String> classes;
    private final int size;
    private final MaskCoding coding;
    private final Resize resize;

    ImageMaskLoader(Path masks, List<String> classes, int size, MaskCoding coding, Resize resize) {
        this.masks = masks;
        this.classes = List.copyOf(classes);
        this.size = size;
        this.coding = coding;
        this.resize = resize;
    }

    /** @param name the image's file name without extension, which names its masks */
    LoadedImage load(Path imagePath, String name) {
        BufferedImage image = ImageDecoder.read(imagePath);
        int width = image.getWidth();
        int height = image.getHeight();
        Fit fit = Fit.of(resize, width, height, size);
        byte[] rgb = RgbFitter.fit(image, fit);
        image = null; // let the full-size image go before its masks are decoded
        long[] bits = MaskFitter.allocate(classes.size(), size);
        Path folder = masks.resolve(name);
        Path file = masks.resolve(name + ".png");
        boolean binary = coding == MaskCoding.BINARY || coding == MaskCoding.AUTO && Files.isDirectory(folder);
        if (binary && Files.isDirectory(folder)) {
            readBinary(folder, imagePath, width, height, fit, bits);
        } else if (!binary && Files.isRegularFile(file)) {
            BufferedImage mask = decodeMask(file, imagePath, width, height);
            MaskFitter.index(file, mask, fit, classes.size(), bits);
        } else {
            throw missing(imagePath, folder, file);
        }
        return new LoadedImage(name, rgb, bits);
    }

    private void readBinary(Path folder, Path imagePath, int width, int height, Fit fit, long[] bits) {
        for (Path entry : list(folder)) {
            String fileName = entry.getFileName().toString();
            boolean known = fileName.endsWith(".png")
                    && classes.contains(fileName.substring(0, fileName.length() - ".png".length()));
            if (!fileName.startsWith(".") && (!known || !Files.isRegularFile(entry))) {
                throw new DatasetException(entry, "not the mask of a class; binary masks are <class>.png, one per class of"
                        + " training.classes " + classes);
            }
        }
        for (int c = 0; c < classes.size(); c++) {
            Path file = folder.resolve(classes.get(c) + ".png");
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(file, "missing; binary masks need one PNG per class of training.classes "
                        + classes);
            }
            MaskFitter.binary(decodeMask(file, imagePath, width, height), fit, c, bits);
        }
    }

    private static BufferedImage decodeMask(Path file, Path imagePath, int width, int height) {
        BufferedImage mask = ImageDecoder.read(file);
        if (mask.getWidth() != width || mask.getHeight() != height) {
            throw new DatasetException(file, "mask is " + mask.getWidth() + "x" + mask.getHeight() + " but image "
                    + imagePath + " is " + width + "x" + height);
        }
        return mask;
    }

    private DatasetException missing(Path imagePath, Path folder, Path file) {
        return switch (coding) {
            case BINARY -> new DatasetException(imagePath, "no mask folder " + folder
                    + " (data.masks is binary: one <class>.png per class)");
            case INDEX -> new DatasetException(imagePath, "no mask " + file + " (data.masks is index)");
            case AUTO -> new DatasetException(imagePath, "no mask: expected a folder " + folder
                    + " with one <class>.png per class, or an index mask " + file);
        };
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(folder, "cannot list: " + e.getMessage());
        }
    }
}
