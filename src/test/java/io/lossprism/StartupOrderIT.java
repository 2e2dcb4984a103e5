package io.lossprism;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lossprism.data.DatasetException;
import io.lossprism.testing.TestApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A dataset that cannot be used is refused before anything is created: no store, no token, no port, no run. */
class StartupOrderIT {

    @Test
    void aBadFolderDatasetIsRefusedBeforeTheStoreTheTokenAndThePort() throws Exception {
        Path storage = TestApps.freshStorage();
        Path dataset = Files.createDirectories(storage.resolve("dataset").resolve("images"));
        Files.createDirectories(dataset.resolveSibling("masks"));
        Files.write(dataset.resolve("a.png"), new byte[] {1, 2, 3}); // not a PNG
        Logger app = (Logger) LoggerFactory.getLogger(LossPrismApp.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        app.addAppender(log);
        Throwable failure;
        try {
            ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    ExecutionException.class,
                    () -> LossPrismApp.start(
                                    null,
                                    List.of(
                                            "http.port=0",
                                            "storage.dir=" + storage,
                                            "data.source=folder",
                                            "data.folder=" + dataset.getParent()))
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(120, TimeUnit.SECONDS));
            failure = e.getCause();
        } finally {
            app.detachAppender(log);
        }

        assertThat(failure).isInstanceOf(DatasetException.class).hasMessageContaining("a.png");
        try (Stream<Path> files = Files.list(storage)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no history, no token, no run folder")
                    .containsExactly("dataset");
        }
        assertThat(log.list)
                .as("the HTTP server never listened")
                .noneMatch(e -> e.getFormattedMessage().startsWith("dashboard"));
    }
}
