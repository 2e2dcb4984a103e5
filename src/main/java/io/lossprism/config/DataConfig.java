package io.lossprism.config;

import java.util.Objects;

/**
 * Which images to train and validate on.
 *
 * <p>{@code source} "synthetic" generates {@code trainImages} and {@code validationImages} scenes from
 * {@code seed}, {@code balanced} removing the rare class. "folder" reads {@code folder} (images/ and
 * masks/, masks coded as {@code masks}: auto, binary or index), fits images to the training size by
 * {@code resize} (stretch or crop), holds out {@code validationFraction} of them and handles an
 * unreadable or inconsistent file by {@code onBadFile} (fail or skip), an image whose header declares
 * more than {@code maxImagePixels} pixels being such a file.
 */
public record DataConfig(
        String source,
        String folder,
        String masks,
        String resize,
        double validationFraction,
        String onBadFile,
        int maxImagePixels,
        int trainImages,
        int validationImages,
        long seed,
        boolean balanced) {

    public DataConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(masks, "masks");
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(onBadFile, "onBadFile");
    }

    public boolean synthetic() {
        return "synthetic".equals(source);
    }

    public boolean skipBadFiles() {
        return "skip".equals(onBadFile);
    }
}
