package io.lossprism.runs;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.data.Dataset;
import io.lossprism.model.ModelException;
import io.lossprism.model.ModelSource;
import io.lossprism.model.ModelSummaryFile;
import io.lossprism.store.RunRecord;
import io.lossprism.store.RunStore;
import io.lossprism.training.RunContext;
import io.lossprism.training.TrainingVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, resumes, pauses and stops runs. At most one run holds the trainer (one worker thread): it is
 * deployed as a {@link TrainingVerticle} until it stops, finishes or fails. A run stores the
 * configuration values it was started with, minus the server's own sections (http, storage), so it
 * resumes with the same training settings under whatever server settings are current.
 *
 * <p>Used from the event loop; store access goes through {@code executeBlocking}.
 */
public final class RunManager {

    /** The worker pool that runs training; one thread, so batches never overlap. */
    public static final String TRAINING_POOL = "lossprism-training";
    private static final Logger LOG = LoggerFactory.getLogger(RunManager.class);
    private static final List<String> SERVER_SECTIONS = List.of("http.", "storage.");
    /** Run settings a new run may not change: the class list shapes every per-class meter and rule. */
    private static final List<String> FIXED_KEYS = List.of("training.classes");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Vertx vertx;
    private final AppConfig server;
    private final Map<String, Object> baseValues;
    private final RunStore store;
    private final Function<AppConfig, Dataset> datasets;
    private String activeRunId = "";
    /** The active run's training verticle, once deployed. */
    private String deploymentId;
    /** A run is being created or deployed: a second start must wait. */
    private boolean deploying;
    private volatile TrainingStatus status = TrainingStatus.starting("", 0);
    private volatile AppConfig activeConfig;
    private final Context context;

    /**
     * @param explicitValues the configuration values given at start (file and overrides), as
     *                       {@link ConfigLoader#explicitValues} returns them: new runs start from them
     */
    public RunManager(Vertx vertx, AppConfig server, Map<String, Object> explicitValues, RunStore store,
                      Function<AppConfig, Dataset> datasets) {
        this.vertx = vertx;
        this.server = server;
        this.baseValues = runValues(explicitValues);
        this.store = store;
        this.datasets = datasets;
        this.activeConfig = server;
        this.context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> onStatus(m.body()));
            vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> onAlert(m.body()));
        });
    }

    /** The latest status of the active (or last) run. */
    public TrainingStatus status() {
        return status;
    }

    /** The configuration of the active (or last) run; the server's before any run. */
    public AppConfig config() {
        return activeConfig;
    }

    public RunStore store() {
        return store;
    }

    /** The run shown by the dashboard: the active one, or the last one; empty before any. */
    public String currentRunId() {
        return activeRunId;
    }

    /** Resumes the latest unfinished run (when storage.resume is on), else starts a new one. */
    public Future<String> startup() {
        return onContext(() -> blocking(store::latestRun).compose(latest -> {
            if (server.storage().resume() && latest.isPresent() && unfinished(latest.get().state())) {
                RunRecord run = latest.get();
                AppConfig config = configOf(run);
                if (config.training().classes().equals(server.training().classes())) {
                    LOG.info("resuming run {} (was {} at iteration {})", run.id(), run.state(), run.iteration());
                    return deploy(run.id(), config, true, State.PAUSED.label().equals(run.state()));
                }
                LOG.warn("not resuming run {}: it trains classes {}, the configuration now names {}; starting a new"
                        + " run (resume the old one with the old configuration)", run.id(),
                        config.training().classes(), server.training().classes());
            }
            return startNow(List.of());
        }));
    }

    /** Starts a new run from the server's configuration plus {@code overrides}; refused while a run is active. */
    public Future<String> start(List<String> overrides) {
        return onContext(() -> startNow(overrides));
    }

    private Future<String> startNow(List<String> overrides) {
        for (String override : overrides) {
            String key = override.split("=", 2)[0].strip();
            if (SERVER_SECTIONS.stream().anyMatch(key::startsWith) || FIXED_KEYS.contains(key)) {
                return Future.failedFuture(new RunException(400, key + ": fixed by the server's configuration"
                        + " (metrics, alerts and the dashboard are set up for it); change it there"));
            }
        }
        Map<String, Object> values;
        AppConfig config;
        try {
            values = ConfigLoader.withOverrides(baseValues, overrides);
            config = withServerSettings(ConfigLoader.fromValues(values, List.of()));
        } catch (ConfigException e) {
            return Future.failedFuture(new RunException(400, e.getMessage()));
        }
        if (busy()) {
            return Future.failedFuture(new RunException(409, "run " + activeRunId + " is " + status.state().label()
                    + "; stop it before starting another"));
        }
        String id = newId();
        deploying = true;
        return blocking(() -> {
            // with its network file's hash, so that resuming the run with a changed file is refused
            String json = new JsonObject(new LinkedHashMap<>(ModelSource.recordingHash(values, config.model()))).encode();
            store.createRun(id, json, System.currentTimeMillis());
            return id;
        }).onFailure(e -> deploying = false).compose(ignored -> deploy(id, config, false, false));
    }

    /** Pauses, resumes or stops a run; resuming a stopped or interrupted run redeploys it from its checkpoint. */
    public Future<TrainingStatus> control(String runId, String action) {
        return onContext(() -> controlNow(runId, action));
    }

    private Future<TrainingStatus> controlNow(String runId, String action) {
        if (!List.of("pause", "resume", "stop").contains(action)) {
            return Future.failedFuture(new RunException(400, "unknown action '" + action
                    + "'; actions: pause, resume, stop"));
        }
        return blocking(() -> store.run(runId)).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(new RunException(404, "no run with id '" + runId + "'"));
            }
            RunRecord run = found.get();
            if (runId.equals(activeRunId) && deploying) {
                return Future.failedFuture(new RunException(409, "run " + runId + " is still starting; try again"));
            }
            if (runId.equals(activeRunId) && deploymentId != null) {
                return vertx.eventBus().<TrainingStatus>request(Addresses.TRAINING_CONTROL, action)
                        .map(reply -> reply.body())
                        .recover(e -> Future.failedFuture(new RunException(
                                e instanceof ReplyException r && r.failureCode() == 400 ? 400 : 503, e.getMessage())));
            }
            if ("resume".equals(action) && !State.FINISHED.label().equals(run.state())) {
                if (busy()) {
                    return Future.failedFuture(new RunException(409, "run " + activeRunId + " is "
                            + status.state().label() + "; stop it before resuming another"));
                }
                return deploy(runId, configOf(run), true, false).map(id -> status);
            }
            return Future.failedFuture(new RunException(409, "run " + runId + " is " + run.state()
                    + "; cannot " + action + " it"));
        });
    }

    private Future<String> deploy(String runId, AppConfig config, boolean resume, boolean paused) {
        activeRunId = runId;
        activeConfig = config;
        deploying = true;
        status = TrainingStatus.starting(runId, config.training().epochs());
        Path dir = runDir(runId);
        RunContext context = new RunContext(runId, dir, new StoreJournal(store, runId, server.storage()), resume,
                paused);
        DeploymentOptions worker = new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolName(TRAINING_POOL)
                .setWorkerPoolSize(1);
        return vertx.deployVerticle(new TrainingVerticle(config, context, datasets), worker)
                .onSuccess(id -> {
                    deploying = false;
                    deploymentId = id;
                    if (!status.state().active()) {
                        undeploy(); // it finished or failed during start
                    }
                })
                .onFailure(e -> {
                    deploying = false;
                    LOG.error("run {}: could not start: {}", runId, e.getMessage());
                    status = status.with(State.FAILED, String.valueOf(e.getMessage()));
                    vertx.eventBus().publish(Addresses.TRAINING_STATUS, status);
                    blocking(() -> {
                        store.updateRun(runId, State.FAILED.label(), 0, 0, String.valueOf(e.getMessage()),
                                System.currentTimeMillis());
                        return null;
                    });
                })
                .recover(e -> Future.failedFuture(e instanceof ModelException
                        ? new RunException(resume ? 409 : 400, e.getMessage(), e) : e))
                .map(id -> runId);
    }

    /** The network a run trains (source, layers, parameters, shapes), once its training has started; else null. */
    public JsonObject model(String runId) throws java.io.IOException {
        Path file = runDir(runId).resolve(ModelSummaryFile.NAME);
        return Files.exists(file) ? new JsonObject(Files.readString(file)) : null;
    }

    private void onStatus(TrainingStatus newStatus) {
        if (!newStatus.runId().equals(activeRunId)) {
            return;
        }
        status = newStatus;
        if (!newStatus.state().active() && deploymentId != null) {
            undeploy();
        }
    }

    private boolean busy() {
        return deploying || deploymentId != null;
    }

    private void undeploy() {
        String id = deploymentId;
        deploymentId = null;
        vertx.undeploy(id).onFailure(e -> LOG.warn("undeploy of run {} failed: {}", activeRunId, e.getMessage()));
    }

    private void onAlert(AlertEvent event) {
        String runId = activeRunId;
        if (runId.isEmpty()) {
            return;
        }
        String json = ReportJson.alert(event).encode();
        blocking(() -> {
            store.appendAlert(runId, event.iteration(), event.timestamp(), json);
            return null;
        }).onFailure(e -> LOG.error("run {}: alert not stored: {}", runId, e.getMessage()));
    }

    /** The run's stored configuration under the current server settings. */
    private AppConfig configOf(RunRecord run) {
        Map<String, Object> values = new JsonObject(run.configJson()).getMap();
        return withServerSettings(ConfigLoader.fromValues(values, List.of()));
    }

    private AppConfig withServerSettings(AppConfig run) {
        return new AppConfig(server.http(), server.storage(), run.checkpoint(), run.training(), run.model(), run.data(),
                run.monitor(), run.alerts());
    }

    private Path runDir(String runId) {
        return server.storage().dir().resolve("runs").resolve(runId);
    }

    /** A run that was created or active when the server last stopped (or crashed). */
    private static boolean unfinished(String state) {
        return RunStore.CREATED.equals(state) || Stream.of(State.values())
                .anyMatch(s -> s.label().equals(state) && s.active());
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

    private static String newId() {
        return "run-" + LocalDateTime.now().format(ID_TIME) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** Runs {@code work} on the manager's own context, so its state is only ever touched by one thread. */
    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
        if (Vertx.currentContext() == context) {
            return work.get();
        }
        io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
        context.runOnContext(v -> work.get().onComplete(promise));
        return promise.future();
    }

    private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
        return vertx.executeBlocking(work, true);
    }
}
