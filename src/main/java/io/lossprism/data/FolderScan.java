package io.lossprism.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image files of a dataset folder, in name order, after checking the folder's layout. Other entries
 * of images/ are counted as ignored, not loaded: files that are not PNG or JPEG (a README, .DS_Store),
 * and anything that is not a regular file, even named like an image (a directory, a FIFO, a broken link
 * or a link loop), which gets one WARN line.
 */
record FolderScan(Path images, Path masks, List<Path> files, int ignored) {

    private static final Logger LOG = LoggerFactory.getLogger(FolderDataset.class);

    private static final String LAYOUT =
            " (a dataset folder holds images/ and masks/; see \"Train on your own data\"" + " in README.md)";

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
                throw new DatasetException(
                        "data.folder: " + folder + " has no " + required.getFileName() + "/ directory" + LAYOUT);
            }
        }
        List<Path> all;
        try (Stream<Path> entries = Files.list(images)) {
            all = entries.sorted(Comparator.comparing(path -> path.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DatasetException("data.folder: cannot list " + images + ": " + e.getMessage());
        }
        // Files.isRegularFile follows links and answers false for a loop or a dangling link
        List<Path> named = all.stream().filter(FolderScan::isImage).toList();
        List<Path> files = named.stream().filter(Files::isRegularFile).toList();
        if (files.size() < named.size()) {
            List<Path> odd =
                    named.stream().filter(path -> !Files.isRegularFile(path)).toList();
            LOG.warn(
                    "ignored {} entries of {} named like images that are not regular files (a directory, a FIFO,"
                            + " a broken link or a link loop), first {}",
                    odd.size(),
                    images,
                    odd.get(0).getFileName());
        }
        if (files.isEmpty()) {
            throw new DatasetException(
                    "data.folder: no images in " + images + " (looked for .png, .jpg and .jpeg files)" + LAYOUT);
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
