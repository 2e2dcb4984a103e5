package io.lossprism.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Loads one image of a dataset folder and its masks, fitted to the training size. Everything that
 * makes the pair unusable is a {@link DatasetException} naming the file at fault. Sizes are checked
 * from the headers before decoding: an image above {@code data.maxImagePixels}, or a mask of another
 * size than its image, is never decoded; and each decode waits for its bytes in {@link DecodeMemory}.
 * One instance serves every loading thread.
 */
final class ImageMaskLoader {

    private final Path masks;
    private final List<String> classes;
    private final int size;
    private final MaskCoding coding;
    private final Resize resize;
    private final long maxPixels;
    private final DecodeMemory memory;

    ImageMaskLoader(
            Path masks,
            List<String> classes,
            int size,
            MaskCoding coding,
            Resize resize,
            long maxPixels,
            DecodeMemory memory) {
        this.masks = masks;
        this.classes = List.copyOf(classes);
        this.size = size;
        this.coding = coding;
        this.resize = resize;
        this.maxPixels = maxPixels;
        this.memory = memory;
    }

    /** @param name the image's file name without extension, which names its masks */
    LoadedImage load(Path imagePath, String name) {
        try (ImageDecoder image = ImageDecoder.open(imagePath)) {
            if (image.pixels() > maxPixels) {
                throw new DatasetException(
                        imagePath,
                        "image is " + image.describe() + ", more than" + " data.maxImagePixels (" + maxPixels
                                + "); not decoded");
            }
            Fit fit = Fit.of(resize, image.width(), image.height(), size);
            // decoded() closes the image, so the full-size pixels are gone before its masks are decoded
            byte[] rgb = decoded(image, decodedImage -> RgbFitter.fit(decodedImage, fit));
            return new LoadedImage(name, rgb, masks(imagePath, name, image.width(), image.height(), fit));
        }
    }

    private long[] masks(Path imagePath, String name, int width, int height, Fit fit) {
        long[] bits = MaskFitter.allocate(classes.size(), size);
        Path folder = masks.resolve(name);
        Path file = masks.resolve(name + ".png");
        boolean binary = coding == MaskCoding.BINARY || coding == MaskCoding.AUTO && Files.isDirectory(folder);
        if (binary && Files.isDirectory(folder)) {
            readBinary(folder, imagePath, width, height, fit, bits);
        } else if (!binary && Files.isRegularFile(file)) {
            decodeMask(file, imagePath, width, height, mask -> MaskFitter.index(file, mask, fit, classes.size(), bits));
        } else {
            throw missing(imagePath, folder, file);
        }
        return bits;
    }

    private void readBinary(Path folder, Path imagePath, int width, int height, Fit fit, long[] bits) {
        for (Path entry : list(folder)) {
            String fileName = entry.getFileName().toString();
            boolean known = fileName.endsWith(".png")
                    && classes.contains(fileName.substring(0, fileName.length() - ".png".length()));
            if (!fileName.startsWith(".") && (!known || !Files.isRegularFile(entry))) {
                throw new DatasetException(
                        entry,
                        "not the mask of a class; binary masks are <class>.png, one per class of" + " training.classes "
                                + classes);
            }
        }
        for (int c = 0; c < classes.size(); c++) {
            Path file = folder.resolve(classes.get(c) + ".png");
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(
                        file, "missing; binary masks need one PNG per class of training.classes " + classes);
            }
            int plane = c;
            decodeMask(file, imagePath, width, height, mask -> MaskFitter.binary(mask, fit, plane, bits));
        }
    }

    private void decodeMask(Path file, Path imagePath, int width, int height, Consumer<BufferedImage> use) {
        try (ImageDecoder mask = ImageDecoder.open(file)) {
            if (mask.width() != width || mask.height() != height) {
                throw new DatasetException(
                        file,
                        "mask is " + mask.width() + "x" + mask.height() + " but image " + imagePath + " is " + width
                                + "x" + height);
            }
            decoded(mask, decodedMask -> {
                use.accept(decodedMask);
                return null;
            });
        }
    }

    /**
     * Decodes once the image's bytes fit in {@link DecodeMemory}, and holds them while {@code use} runs; closes
     * {@code file} before giving the bytes back, as an ImageIO reader keeps the image it decoded until then.
     */
    @SuppressWarnings("try") // the lease is held for its scope, never read
    private <T> T decoded(ImageDecoder file, Function<BufferedImage, T> use) {
        try (DecodeMemory.Lease lease = memory.acquire(file.decodedBytes());
                file) {
            return use.apply(file.decode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the load was abandoned: nobody reads this result
            throw new CancellationException("loading interrupted");
        }
    }

    private DatasetException missing(Path imagePath, Path folder, Path file) {
        return switch (coding) {
            case BINARY ->
                new DatasetException(
                        imagePath, "no mask folder " + folder + " (data.masks is binary: one <class>.png per class)");
            case INDEX -> new DatasetException(imagePath, "no mask " + file + " (data.masks is index)");
            case AUTO ->
                new DatasetException(
                        imagePath,
                        "no mask: expected a folder " + folder + " with one <class>.png per class, or an index mask "
                                + file);
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
