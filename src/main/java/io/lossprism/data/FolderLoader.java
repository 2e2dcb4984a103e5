package io.lossprism.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a dataset folder: decodes on every core, but takes the results in file-name order, so splits,
 * indices, progress and the first bad file reported are the same on every run.
 */
final class FolderLoader {

    private static final Logger LOG = LoggerFactory.getLogger(FolderDataset.class);
    /** Skipped files listed by {@link FolderDataset#skipped()}; the count covers them all. */
    static final int MAX_LISTED = 100;

    private final Path folder;
    private final List<String> classes;
    private final int size;
    private final MaskCoding coding;
    private final Resize resize;
    private final double validationFraction;
    private final boolean skipBadFiles;
    private final long maxImagePixels;
    private final DecodeMemory memory;
    private final ProgressListener progress;

    FolderLoader(
            Path folder,
            List<String> classes,
            int size,
            MaskCoding coding,
            Resize resize,
            double validationFraction,
            boolean skipBadFiles,
            long maxImagePixels,
            DecodeMemory memory,
            ProgressListener progress) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("at least one class is needed");
        }
        if (size < 1) {
            throw new IllegalArgumentException("imageSize must be positive, got " + size);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("maxImagePixels must be positive, got " + maxImagePixels);
        }
        this.folder = folder;
        this.classes = List.copyOf(classes);
        this.size = size;
        this.coding = coding;
        this.resize = resize;
        this.validationFraction = validationFraction;
        this.skipBadFiles = skipBadFiles;
        this.maxImagePixels = maxImagePixels;
        this.memory = memory;
        this.progress = progress;
    }

    FolderDataset load() {
        long start = System.nanoTime();
        FolderScan scan = FolderScan.of(folder);
        ImageMaskLoader loader =
                new ImageMaskLoader(scan.masks(), classes, size, coding, resize, maxImagePixels, memory);
        List<Path> files = scan.files();
        List<LoadedImage> train = new ArrayList<>();
        List<LoadedImage> validation = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        int skippedCount = 0;
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(files.size(), Runtime.getRuntime().availableProcessors()), daemonThreads());
        try {
            List<Future<LoadedImage>> pending = submit(pool, loader, files);
            for (int i = 0; i < files.size(); i++) {
                DatasetException bad = null;
                try {
                    LoadedImage sample = pending.get(i).get();
                    (HashSplit.isValidation(sample.name(), validationFraction) ? validation : train).add(sample);
                } catch (ExecutionException e) {
                    bad = badFile(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DatasetException("data.folder: loading " + folder + " was interrupted");
                }
                if (bad != null) {
                    if (!skipBadFiles) {
                        throw new DatasetException(
                                bad.path(), bad.reason() + " (data.onBadFile: skip would leave it out)");
                    }
                    LOG.warn("bad file skipped: {}", bad.getMessage());
                    skippedCount++;
                    if (skipped.size() < MAX_LISTED) {
                        skipped.add(new SkippedFile(bad.path(), bad.reason()));
                    }
                }
                progress.loaded(i + 1, files.size());
            }
        } finally {
            pool.shutdownNow();
        }
        keepOneForTraining(train, validation);
        if (train.isEmpty()) {
            throw new DatasetException("data.folder: no training images in " + folder + ": all " + files.size()
                    + " images were skipped as bad files");
        }
        FolderDataset dataset =
                new FolderDataset(folder, size, classes.size(), train, validation, skippedCount, skipped);
        LOG.info(
                "dataset loaded: folder={} train={} validation={} skipped={} ignoredFiles={} memoryMB={} seconds={}",
                folder,
                train.size(),
                validation.size(),
                skippedCount,
                scan.ignored(),
                String.format(Locale.ROOT, "%.1f", dataset.memoryBytes() / 1e6),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        return dataset;
    }

    /** One task per image, in order; a second image with the same name fails without being decoded. */
    private static List<Future<LoadedImage>> submit(ExecutorService pool, ImageMaskLoader loader, List<Path> files) {
        Map<String, Path> byName = new HashMap<>();
        List<Future<LoadedImage>> pending = new ArrayList<>(files.size());
        for (Path file : files) {
            String name = FolderScan.name(file);
            Path first = byName.putIfAbsent(name, file);
            if (first != null) {
                pending.add(CompletableFuture.failedFuture(new DatasetException(
                        file, "same name as " + first + "; masks are found by image name, so names must be unique")));
            } else {
                pending.add(pool.submit(() -> loader.load(file, name)));
            }
        }
        return pending;
    }

    private static DatasetException badFile(Throwable cause) {
        if (cause instanceof DatasetException bad && bad.path() != null) {
            return bad;
        }
        if (cause instanceof RuntimeException unexpected) {
            throw unexpected;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(cause);
    }

    /**
     * A tiny dataset whose names all hash into validation would have nothing to train on: the one that
     * hashes highest (the last to go to validation if the fraction shrank) trains instead.
     */
    private static void keepOneForTraining(List<LoadedImage> train, List<LoadedImage> validation) {
        if (train.isEmpty() && !validation.isEmpty()) {
            LoadedImage moved = validation.stream()
                    .max(Comparator.comparingInt((LoadedImage s) -> HashSplit.bucket(s.name()))
                            .thenComparing(LoadedImage::name))
                    .orElseThrow();
            validation.remove(moved);
            train.add(moved);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "lossprism-data-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
