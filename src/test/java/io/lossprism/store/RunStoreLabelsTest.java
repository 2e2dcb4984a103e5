package io.lossprism.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema version 2: a run's name and notes, migrated into version 1 files; deleting a run; the runs view's reads. */
class RunStoreLabelsTest {

    @TempDir
    Path dir;

    /** The tables exactly as version 1 created them, with one run, one report and one alert in them. */
    private void writeVersion1File() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(RunStore.FILE_NAME));
                Statement s = c.createStatement()) {
            Version1Schema.create(s);
            s.execute("INSERT INTO runs VALUES ('old', '{\"training.epochs\":2}', 'stopped', 7, 1, 'stopped', 10, 20)");
            s.execute("INSERT INTO reports VALUES ('old', 'train', 7, 1, '" + SampleReports.train(7) + "')");
            s.execute(
                    "INSERT INTO alerts (run_id, iteration, time, json) VALUES ('old', 5, 30, '{\"to\":\"firing\"}')");
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
    void aVersion1FileIsMigratedKeepingItsRows() throws SQLException {
        writeVersion1File();

        try (RunStore store = RunStore.open(dir)) {
            assertThat(store.run("old"))
                    .contains(new RunRecord("old", "{\"training.epochs\":2}", "stopped", 7, 1, "stopped", 10, 20));
            assertThat(store.reportRows("old", "train")).isEqualTo(1);
            assertThat(store.firedAlerts("old")).isEqualTo(1);

            assertThat(store.label("old", "baseline", "before the remedy")).isTrue();
            assertThat(store.run("old").orElseThrow().name()).isEqualTo("baseline");
        }
        assertThat(userVersion()).isEqualTo(Schema.VERSION).isEqualTo(2);
        try (RunStore again = RunStore.open(dir)) {
            assertThat(again.run("old").orElseThrow().notes()).isEqualTo("before the remedy");
        }
    }

    @Test
    void labelsChangeOnlyWhatIsGivenAndEmptyClears() {
        try (RunStore store = RunStore.open(dir)) {
            store.createRun("r1", "{}", 1);
            assertThat(store.run("r1").orElseThrow().name()).isNull();

            store.label("r1", "first", "line one\nline two");
            store.label("r1", null, "changed");
            assertThat(store.run("r1").orElseThrow())
                    .extracting(RunRecord::name, RunRecord::notes)
                    .containsExactly("first", "changed");
            store.label("r1", "", null);
            assertThat(store.run("r1").orElseThrow())
                    .extracting(RunRecord::name, RunRecord::notes)
                    .containsExactly(null, "changed");
            assertThat(store.runs()).extracting(RunRecord::notes).containsExactly("changed");
            assertThat(store.label("nope", "x", null)).isFalse();
        }
    }

    @Test
    void deletingARunRemovesItsRowsAndNoOtherRunsRows() {
        try (RunStore store = RunStore.open(dir)) {
            for (String id : new String[] {"a", "b"}) {
                store.createRun(id, "{}", 1);
                store.appendReport(id, "train", 1, SampleReports.train(1));
                store.appendReport(id, "validation", 1, SampleReports.report("validation", 1, 0.5));
                store.appendAlert(id, 1, 2, "{\"to\":\"firing\"}");
            }

            assertThat(store.deleteRun("a")).isTrue();

            assertThat(store.run("a")).isEmpty();
            assertThat(store.reportRows("a", "train") + store.reportRows("a", "validation"))
                    .isZero();
            assertThat(store.alerts("a", 10)).isEmpty();
            assertThat(store.reportRows("b", "train")).isEqualTo(1);
            assertThat(store.alerts("b", 10)).hasSize(1);
            assertThat(store.deleteRun("a")).isFalse();
        }
    }

    @Test
    void latestReportIsTheHighestIterationOfTheSplitAndFiredAlertsCountOnlyFiring() {
        try (RunStore store = RunStore.open(dir)) {
            store.createRun("r", "{}", 1);
            assertThat(store.latestReport("r", "train")).isEmpty();
            store.appendReport("r", "train", 3, SampleReports.train(3));
            store.appendReport("r", "train", 9, SampleReports.train(9));
            store.appendReport("r", "train", 5, SampleReports.train(5));
            store.appendReport("r", "validation", 4, SampleReports.report("validation", 4, 0.5));

            assertThat(store.latestReport("r", "train").orElseThrow().iteration())
                    .isEqualTo(9);
            assertThat(new JsonObject(store.latestReport("r", "train")
                                    .orElseThrow()
                                    .json())
                            .getDouble("loss"))
                    .isEqualTo(1.0 / 9);
            assertThat(store.latestReport("r", "validation").orElseThrow().iteration())
                    .isEqualTo(4);

            store.appendAlert("r", 2, 1, "{\"alertname\":\"A\",\"to\":\"pending\"}");
            store.appendAlert("r", 3, 2, "{\"alertname\":\"A\",\"to\":\"firing\"}");
            store.appendAlert("r", 4, 3, "{\"alertname\":\"A\",\"to\":\"inactive\"}");
            store.appendAlert("r", 6, 4, "{\"alertname\":\"B\",\"to\":\"firing\"}");
            assertThat(store.firedAlerts("r")).isEqualTo(2);
            assertThat(store.firedAlerts("other")).isZero();
        }
    }
}
