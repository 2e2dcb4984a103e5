package io.lossprism.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Real history files for the tests, healthy or with garbage written over pages in the middle. */
public final class CorruptStores {

    /** Reports in a store: about 200 pages of {@link Database#PAGE_SIZE}. */
    static final int REPORTS = 1500;

    private CorruptStores() {}

    /** A store in {@code dir} with run "r1" and {@value #REPORTS} train reports, closed cleanly. */
    public static Path healthy(Path dir) {
        try (RunStore store = RunStore.open(dir)) {
            store.createRun("r1", "{}", 1);
            List<ReportRow> rows = new ArrayList<>();
            for (long i = 1; i <= REPORTS; i++) {
                rows.add(new ReportRow("train", i, SampleReports.realistic(i)));
            }
            store.appendReports("r1", rows);
            return store.file();
        }
    }

    /** A healthy store with three pages from its middle overwritten by random bytes; returns the file. */
    public static Path write(Path dir) {
        Path file = healthy(dir);
        try {
            long pages = Files.size(file) / Database.PAGE_SIZE;
            if (pages < 100) {
                throw new IllegalStateException(file + " has only " + pages + " pages");
            }
            byte[] garbage = new byte[3 * Database.PAGE_SIZE];
            new Random(3).nextBytes(garbage);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(pages / 2 * Database.PAGE_SIZE);
                raf.write(garbage);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
