package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.store.RunRecord;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigurationsTest {

    private static final List<String> STARTED_WITH =
            List.of("storage.dir=/data/one", "http.port=9000", "training.epochs=7", "training.batchSize=4");

    private static RunConfigurations configs(List<String> serverValues) {
        return new RunConfigurations(
                ConfigLoader.load(null, serverValues), ConfigLoader.explicitValues(null, serverValues));
    }

    @Test
    void aNewRunStartsFromTheServersValuesPlusOverridesAndStoresNoServerSetting() {
        RunConfigurations.NewRun run = configs(STARTED_WITH).newRun(List.of("training.epochs=3"));
        assertThat(run.config().training().epochs()).isEqualTo(3);
        assertThat(run.config().training().batchSize()).isEqualTo(4);
        assertThat(run.config().storage().dir()).isEqualTo(Path.of("/data/one"));
        assertThat(run.config().http().port()).isEqualTo(9000);
        assertThat(new JsonObject(run.valuesJson()).getMap())
                .containsEntry("training.epochs", 3)
                .containsEntry("training.batchSize", 4)
                .doesNotContainKeys("storage.dir", "http.port");
    }

    @Test
    void serverSettingsTheClassListAndBadValuesAreRefusedNamingTheKey() {
        RunConfigurations configs = configs(STARTED_WITH);
        for (String override : List.of("http.port=1", "storage.resume=false", " training.classes =[a,b]")) {
            assertThatThrownBy(() -> configs.newRun(List.of(override)))
                    .isInstanceOf(RunException.class)
                    .hasMessageStartingWith(override.split("=")[0].strip() + ": fixed by the server's configuration")
                    .satisfies(e -> assertThat(((RunException) e).status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> configs.newRun(List.of("training.epochs=zero")))
                .isInstanceOf(RunException.class)
                .hasMessageStartingWith("training.epochs:")
                .satisfies(e -> assertThat(((RunException) e).status()).isEqualTo(400));
    }

    @Test
    void aStoredRunComesBackWithItsOwnSettingsUnderTheCurrentServerSettings() {
        String stored =
                configs(STARTED_WITH).newRun(List.of("training.epochs=3")).valuesJson();
        RunConfigurations now = configs(List.of("storage.dir=/data/two", "http.port=9001", "training.epochs=50"));
        AppConfig resumed = now.of(new RunRecord("run-1", stored, "paused", 5, 0, "", 0, 0));
        assertThat(resumed.training().epochs()).isEqualTo(3);
        assertThat(resumed.training().batchSize()).isEqualTo(4);
        assertThat(resumed.storage().dir()).isEqualTo(Path.of("/data/two"));
        assertThat(resumed.http().port()).isEqualTo(9001);
        assertThat(now.fitsServer(resumed)).isTrue();
        String otherClasses =
                configs(List.of("training.classes=[a,b]")).newRun(List.of()).valuesJson();
        assertThat(now.fitsServer(now.of(new RunRecord("run-2", otherClasses, "paused", 5, 0, "", 0, 0))))
                .isFalse();
    }
}
