package io.lossprism.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version 1 file (as LossPrism wrote it before run kinds) opens, migrated to version 2, its runs intact. */
class RunStoreMigrationTest {

    @TempDir
    Path dir;

    /** The version 1 schema, as released. */
    private void writeVersion1File() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(RunStore.FILE_NAME));
                Statement s = c.createStatement()) {
            Version1Schema.create(s);
            s.execute("INSERT INTO runs VALUES ('old', '{\"a\":1}', 'finished', 40, 2, NULL, 10, 20)");
            s.execute("INSERT INTO reports VALUES ('old', 'train', 40, 1, '{\"loss\":0.5}')");
        }
    }

    private long userVersion() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(RunStore.FILE_NAME));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aVersion1FileIsMigratedAndItsRunsAreDl4jRuns() throws SQLException {
        writeVersion1File();

        try (RunStore store = RunStore.open(dir)) {
            assertThat(store.run("old")).hasValueSatisfying(r -> {
                assertThat(r.state()).isEqualTo("finished");
                assertThat(r.iteration()).isEqualTo(40);
                assertThat(r.configJson()).isEqualTo("{\"a\":1}");
            });
            assertThat(store.reports("old", "train", 0, 10)).hasSize(1);
            assertThat(store.origin("old")).contains(new RunOrigin(RunOrigin.DL4J, null));

            store.createRun("ext", RunOrigin.EXTERNAL, "{}", "{\"name\":\"keras\"}", 30);
            assertThat(store.origin("ext")).contains(new RunOrigin(RunOrigin.EXTERNAL, "{\"name\":\"keras\"}"));
            assertThat(store.runs()).extracting(RunRecord::id).containsExactly("ext", "old");
        }
        assertThat(userVersion()).isEqualTo(2);
        // opening a migrated file again changes nothing
        try (RunStore store = RunStore.open(dir)) {
            assertThat(store.origin("ext")).map(RunOrigin::kind).contains(RunOrigin.EXTERNAL);
        }
    }

    @Test
    void aNewFileHasRunKindsAndTheDefaultKindIsDl4j() {
        try (RunStore store = RunStore.open(dir)) {
            store.createRun("trained", "{}", 1);

            assertThat(store.origin("trained")).contains(new RunOrigin(RunOrigin.DL4J, null));
            assertThat(store.origin("none")).isEmpty();
            store.createRun("fed", RunOrigin.EXTERNAL, "{}", "{}", 2);
            assertThat(store.latestRun()).map(RunRecord::id).contains("trained");
        }
    }

    @Test
    void appendNewReportsStoresEachKeyOnceAndSaysWhichWereNew() {
        try (RunStore store = RunStore.open(dir)) {
            store.createRun("ext", RunOrigin.EXTERNAL, "{}", "{}", 1);
            boolean[] first = store.appendNewReports(
                    "ext",
                    List.of(
                            new ReportRow("train", 1, "{\"n\":1}"),
                            new ReportRow("train", 2, "{\"n\":2}"),
                            new ReportRow("train", 1, "{\"n\":3}")));
            boolean[] retry = store.appendNewReports(
                    "ext",
                    List.of(new ReportRow("train", 2, "{\"n\":4}"), new ReportRow("validation", 2, "{\"n\":5}")));

            assertThat(first).containsExactly(true, true, false);
            assertThat(retry).containsExactly(false, true);
            assertThat(store.reports("ext", "train", 0, 10))
                    .extracting(StoredReport::json)
                    .containsExactly("{\"n\":1}", "{\"n\":2}");
        }
    }
}
