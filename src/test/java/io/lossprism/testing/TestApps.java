package io.lossprism.testing;

import io.lossprism.LossPrismApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts real apps for integration tests: any free port, a fresh storage folder under target/. */
public final class TestApps {

    private TestApps() {}

    /** A fresh, empty storage folder under target/it-storage. */
    public static Path freshStorage() {
        try {
            Path root = Files.createDirectories(Path.of("target", "it-storage"));
            return Files.createTempDirectory(root, "run-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the app with {@code overrides} on port 0 with a fresh storage folder; waits up to 2 minutes. */
    public static LossPrismApp start(String... overrides) throws Exception {
        return start(freshStorage(), overrides);
    }

    public static LossPrismApp start(Path storage, String... overrides) throws Exception {
        List<String> all = new ArrayList<>(List.of("http.port=0", "storage.dir=" + storage));
        all.addAll(List.of(overrides));
        return LossPrismApp.start(null, all)
                .toCompletionStage()
                .toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
    }
}
