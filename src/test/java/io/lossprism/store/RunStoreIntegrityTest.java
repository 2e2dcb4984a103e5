package io.lossprism.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A damaged history file is refused at open, before anything is written into it. */
class RunStoreIntegrityTest {

    @TempDir
    Path dir;

    @Test
    void garbagePagesInTheMiddleAreRefusedWithOneLineSayingWhatToDo() throws IOException {
        Path file = CorruptStores.write(dir);
        byte[] damaged = Files.readAllBytes(file);

        assertThatThrownBy(() -> RunStore.open(dir))
                .isInstanceOf(CorruptStoreException.class)
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Run history " + file + " is corrupt (SQLite quick_check: ")
                .hasMessageContaining("nothing was written into it")
                .hasMessageContaining("sqlite3 (.recover or .dump)")
                .hasMessageContaining("fresh storage.dir")
                .hasMessageContaining("docs/runbook.md")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
        assertThat(Files.readAllBytes(file))
                .as("the damaged file is left as it was")
                .isEqualTo(damaged);
        Path wal = dir.resolve(RunStore.FILE_NAME + "-wal");
        assertThat(Files.exists(wal) ? Files.size(wal) : 0)
                .as("bytes in the write-ahead log")
                .isZero();
    }

    @Test
    void aHealthyStoreOpensAndKeepsItsHistory() {
        CorruptStores.healthy(dir);

        try (RunStore store = RunStore.open(dir)) {
            assertThat(store.reportRows("r1", "train")).isEqualTo(CorruptStores.REPORTS);
        }
    }

    @Test
    void aCheckThatRunsOutOfTimeIsAbandonedWithAWarning() {
        Path file = CorruptStores.healthy(dir);
        Logger logger = (Logger) LoggerFactory.getLogger(IntegrityCheck.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            IntegrityCheck.verify(file, Duration.ofNanos(1));
        } finally {
            logger.detachAppender(log);
        }

        assertThat(log.list)
                .filteredOn(e -> e.getLevel() == Level.WARN)
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage())
                        .contains(file.toString())
                        .contains("did not finish within"));
    }
}
