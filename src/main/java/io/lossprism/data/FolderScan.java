package io.lossprism.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The image files of a dataset folder, in name order, after checking the folder's layout. Files in
 * images/ that are not PNG or JPEG (a README, .DS_Store) are counted, not loaded.
 */
record FolderScan(Path images, Path masks, List<Path> files, int ignored) {

    private static final String LAYOUT = " (a dataset folder holds images/ and masks/; see \"Train on your own data\""
            + " in README.md)";

    /** @throws DatasetException naming data.folder when the folder is unusable as a whole */
    static FolderScan of(Path folder) {
        if (!Files.exists(folder)) {
            throw new DatasetException("data.folder: " + folder + " does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new DatasetException("data.folder: " + folder + " is not a directory");
        }
        Path images = folder.resolve("images");
        Path masks = folder.resolve("masks");
        for (Path required : List.of(images, masks)) {
            if (!Files.isDirectory(required)) {
                throw new DatasetException("data.folder: " + folder + " has no " + required.getFileName() + "/ directory"
                        + LAYOUT);
            }
        }
        List<Path> all;
        try (Stream<Path> entries = Files.list(images)) {
            all = entries.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(path -> path.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DatasetException("data.folder: cannot list " + images + ": " + e.getMessage());
        }
        List<Path> files = all.stream().filter(FolderScan::isImage).toList();
        if (files.isEmpty()) {
            throw new DatasetException("data.folder: no images in " + images + " (looked for .png, .jpg and .jpeg files)"
                    + LAYOUT);
        }
        return new FolderScan(images, masks, files, all.size() - files.size());
    }

    /** The name that identifies an image and its masks: the file name without its extension. */
    static String name(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.substring(0, fileName.lastIndexOf('.'));
    }

    private static boolean isImage(Path file) {
        String fileName = file.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        return !fileName.startsWith(".")
                && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"));
    }
}
