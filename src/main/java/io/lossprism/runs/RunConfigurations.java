package io.lossprism.runs;

import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.model.ModelException;
import io.lossprism.model.ModelSource;
import io.lossprism.store.RunRecord;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of each run. A run stores the configuration values it was started with, minus the
 * server's own sections (http, storage), so it resumes with the same training settings under whatever
 * server settings are current. A new run starts from the values the server was started with, plus
 * overrides of anything but the server's sections and the class list.
 */
final class RunConfigurations {

    private static final List<String> SERVER_SECTIONS = List.of("http.", "storage.", "ingest.", "metrics.");
    /** Run settings a new run may not change: the class list shapes every per-class meter and rule. */
    private static final List<String> FIXED_KEYS = List.of("training.classes");

    private final AppConfig server;
    private final Map<String, Object> baseValues;

    /**
     * @param explicitValues the configuration values given at start (file and overrides), as
     *                       {@link ConfigLoader#explicitValues} returns them: new runs start from them
     */
    RunConfigurations(AppConfig server, Map<String, Object> explicitValues) {
        this.server = server;
        this.baseValues = runValues(explicitValues);
    }

    /** A new run's configuration and the values to store with it. */
    record NewRun(AppConfig config, Map<String, Object> values) {

        /**
         * The values as stored, with the network file's hash (read here: call off the event loop).
         *
         * @throws RunException with status 400 when the network file cannot be read
         */
        String valuesJson() {
            try {
                return new JsonObject(new LinkedHashMap<>(ModelSource.recordingHash(values, config.model()))).encode();
            } catch (ModelException e) {
                throw new RunException(400, e.getMessage(), e);
            }
        }
    }

    /**
     * The configuration of a new run with {@code overrides} ({@code key=value}).
     *
     * @throws RunException with status 400 naming the key of a server setting, a fixed key or a bad value
     */
    NewRun newRun(List<String> overrides) {
        for (String override : overrides) {
            String key = override.split("=", 2)[0].strip();
            if (SERVER_SECTIONS.stream().anyMatch(key::startsWith) || FIXED_KEYS.contains(key)) {
                throw new RunException(
                        400,
                        key + ": fixed by the server's configuration"
                                + " (metrics, alerts and the dashboard are set up for it); change it there");
            }
        }
        try {
            Map<String, Object> values = ConfigLoader.withOverrides(baseValues, overrides);
            AppConfig config = withServerSettings(ConfigLoader.fromValues(values, List.of()));
            return new NewRun(config, values);
        } catch (ConfigException e) {
            throw new RunException(400, e.getMessage());
        }
    }

    /** A stored run's configuration under the current server settings. */
    AppConfig of(RunRecord run) {
        Map<String, Object> values = new JsonObject(run.configJson()).getMap();
        return withServerSettings(ConfigLoader.fromValues(values, List.of()));
    }

    /** Whether a run trains the classes the server's meters, rules and dashboard are set up for. */
    boolean fitsServer(AppConfig run) {
        return run.training().classes().equals(server.training().classes());
    }

    private AppConfig withServerSettings(AppConfig run) {
        return new AppConfig(
                server.http(),
                server.storage(),
                run.checkpoint(),
                run.training(),
                run.model(),
                run.data(),
                run.monitor(),
                run.alerts(),
                server.liveRuns(),
                server.ingest());
    }

    private static Map<String, Object> runValues(Map<String, Object> values) {
        Map<String, Object> run = new HashMap<>();
        values.forEach((key, value) -> {
            if (SERVER_SECTIONS.stream().noneMatch(key::startsWith)) {
                run.put(key, value);
            }
        });
        return run;
    }
}
