package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the scan of images/ loads, and that everything else is counted as ignored rather than vanishing. */
class FolderScanTest {

    @TempDir
    Path dir;

    private DatasetFolder ds;
    private ListAppender<ILoggingEvent> log;

    @BeforeEach
    void setUp() {
        ds = new DatasetFolder(dir);
        ds.plain("good");
        log = new ListAppender<>();
        log.start();
        logger().addAppender(log);
    }

    @AfterEach
    void detachLog() {
        logger().detachAppender(log);
    }

    @Test
    void entriesNamedLikeImagesThatAreNotRegularFilesAreCountedAsIgnoredAndLoggedOnce() throws Exception {
        Files.createDirectories(ds.images.resolve("a-directory.png"));
        Path fifo = ds.images.resolve("b-fifo.png");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
        Files.createSymbolicLink(ds.images.resolve("c-loop.png"), ds.images.resolve("c-loop.png"));
        Files.createSymbolicLink(ds.images.resolve("d-dangling.jpg"), dir.resolve("nowhere.jpg"));
        ds.bytes(ds.images.resolve("README.txt"), new byte[] {1});

        FolderScan scan = FolderScan.of(dir);

        assertThat(scan.files()).containsExactly(ds.images.resolve("good.png"));
        assertThat(scan.ignored()).isEqualTo(5);
        assertThat(warnings())
                .singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage())
                        .contains("ignored 4 entries of " + ds.images)
                        .contains("not regular files")
                        .contains("first a-directory.png"));
    }

    @Test
    void aLinkToAnImageIsLoadedAndNothingIsLogged() throws IOException {
        Path elsewhere = ds.rgb("../elsewhere.png", 8, 8, (x, y) -> 0);
        Files.createSymbolicLink(ds.images.resolve("linked.png"), elsewhere);

        FolderScan scan = FolderScan.of(dir);

        assertThat(scan.files()).containsExactly(ds.images.resolve("good.png"), ds.images.resolve("linked.png"));
        assertThat(scan.ignored()).isZero();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void theLoadSummaryCountsTheIgnoredEntries() throws IOException {
        ds.emptyBinary("good", List.of("road"), 8, 8);
        Files.createDirectories(ds.images.resolve("x.png"));
        ds.bytes(ds.images.resolve(".DS_Store"), new byte[] {0});

        FolderDataset.load(
                dir,
                List.of("road"),
                8,
                MaskCoding.AUTO,
                Resize.STRETCH,
                0.0,
                false,
                50_000_000,
                ProgressListener.NONE);

        assertThat(log.list)
                .filteredOn(e -> e.getLevel() == Level.INFO)
                .anySatisfy(e -> assertThat(e.getFormattedMessage())
                        .contains("dataset loaded")
                        .contains("ignoredFiles=2"));
    }

    private List<ILoggingEvent> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    private static Logger logger() {
        return (Logger) org.slf4j.LoggerFactory.getLogger(FolderDataset.class);
    }
}
