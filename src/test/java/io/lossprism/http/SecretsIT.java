package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.store.RunStore;
import io.lossprism.testing.TestApps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** Credentials in a run's configuration are stored (a run resumes from them) but never served (issue 16, item 6). */
class SecretsIT {

    @Test
    void aRunsConfigIsServedWithItsCredentialsMasked() throws Exception {
        try (TestServer server = new TestServer()) {
            JsonObject values = new JsonObject()
                    .put(
                            "alerts.webhooks",
                            new JsonArray()
                                    .add("http://user:pass@hooks.example/hook")
                                    .add("http://plain/x"))
                    .put("alerts.webhookRetries", 2)
                    .put("custom", new JsonObject().put("apiToken", "t0ps3cret").put("url", "https://h/x?token=abc"));
            server.store.createRun("r1", values.encode(), 1_700_000_000_000L);

            HttpResponse<String> response = server.send("GET", "/api/runs/r1");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).doesNotContain("user:pass", "t0ps3cret", "token=abc");
            JsonObject config = new JsonObject(response.body()).getJsonObject("config");
            assertThat(config.getJsonArray("alerts.webhooks"))
                    .containsExactly("http://***@hooks.example/hook", "http://plain/x");
            assertThat(config.getInteger("alerts.webhookRetries")).isEqualTo(2);
            assertThat(config.getJsonObject("custom").getString("apiToken")).isEqualTo("***");
            assertThat(config.getJsonObject("custom").getString("url")).isEqualTo("https://h/x?token=***");
            assertThat(server.store.run("r1").orElseThrow().configJson())
                    .as("stored as given, to resume from")
                    .contains("user:pass");
        }
    }

    @Test
    void theStorageFolderAndTheDatabaseAreTheOwnersAlone() throws Exception {
        try (TestServer server = new TestServer()) {
            server.store.createRun("r1", "{}", 1L); // a write, so that the WAL exists
            Path storage = server.storage;
            assertThat(mode(storage)).isEqualTo("rwx------");
            for (String name :
                    new String[] {RunStore.FILE_NAME, RunStore.FILE_NAME + "-wal", RunStore.FILE_NAME + "-shm"}) {
                Path file = storage.resolve(name);
                assertThat(file).exists();
                assertThat(mode(file)).as(name).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void anExistingDatabaseIsMadeTheOwnersAlone() throws Exception {
        Path storage = TestApps.freshStorage();
        try (RunStore store = RunStore.open(storage)) {
            store.createRun("r1", "{}", 1L);
        }
        Path file = storage.resolve(RunStore.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (RunStore store = RunStore.open(storage)) {
            assertThat(mode(store.file())).isEqualTo("rw-------");
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
