package io.lossprism.runs;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.lossprism.config.AppConfig;
import io.lossprism.data.Dataset;
import io.lossprism.model.ModelException;
import io.lossprism.model.ModelSummaryFile;
import io.lossprism.store.RunRecord;
import io.lossprism.store.RunStore;
import io.lossprism.training.DiskFullException;
import io.lossprism.training.RunContext;
import io.lossprism.training.TrainingVerticle;
import io.lossprism.training.UnresumableRunException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of runs: on start it resumes the latest unfinished run (when {@code storage.resume} is
 * on) or starts a new one; later it starts, pauses, resumes and stops runs on request. At most one run
 * holds the trainer (one worker thread): it is deployed as a {@link TrainingVerticle} until it stops,
 * finishes or fails, and follows its status on the event bus.
 *
 * <p>A run whose history goes beyond any readable checkpoint is marked {@code unresumable} and left as it
 * is, history included: at start the server then trains nothing until the user starts a new run or
 * resumes that one (once a readable checkpoint is back). {@link #shutdown} stops the active run first,
 * so that its last checkpoint and rows are written while the store is open.
 *
 * <p>Its state is touched on its own event loop only: requests from other threads hop onto it, and
 * store access goes through {@code executeBlocking}.
 */
public final class RunManager extends VerticleBase implements RunControl {

    private static final Logger LOG = LoggerFactory.getLogger(RunManager.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final AppConfig server;
    private final RunConfigurations configs;
    private final RunStore store;
    private final Function<AppConfig, Dataset> datasets;
    private volatile String activeRunId = "";
    /** The active run's training verticle, once deployed. */
    private String deploymentId;
    /** A run is being created or deployed: a second start must wait. */
    private boolean deploying;
    /** Runs being deleted: they may not be resumed meanwhile. */
    private final java.util.Set<String> deleting = new java.util.HashSet<>();
    /** The last undeploy: a deletion waits for it, so that a run's verticle has let go of its folder. */
    private Future<Void> undeployed = Future.succeededFuture();
    /** The deployment under way while {@code deploying}. */
    private Future<String> deployment = Future.succeededFuture();
    /** {@link #shutdown} was called: no run starts or resumes, nothing more is written. */
    private boolean closing;

    private volatile TrainingStatus status = TrainingStatus.starting("", 0);
    private volatile AppConfig activeConfig;

    /**
     * @param explicitValues the configuration values given at start (file and overrides), as
     *                       {@link io.lossprism.config.ConfigLoader#explicitValues} returns them: new runs
     *                       start from them
     */
    public RunManager(
            AppConfig server,
            Map<String, Object> explicitValues,
            RunStore store,
            Function<AppConfig, Dataset> datasets) {
        this.server = server;
        this.configs = new RunConfigurations(server, explicitValues);
        this.store = store;
        this.datasets = datasets;
        this.activeConfig = server;
    }

    /** Follows the active run's status, then resumes or starts a run: deployed once it trains. */
    @Override
    public Future<?> start() {
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> onStatus(m.body()));
        return startup();
    }

    /** The latest status of the active (or last) run. */
    public TrainingStatus status() {
        return status;
    }

    @Override
    public AppConfig currentConfig() {
        return activeConfig;
    }

    @Override
    public String currentRunId() {
        return activeRunId;
    }

    /**
     * Stops the active run between two batches (it checkpoints and stores its last rows), and refuses to
     * start or resume any after it: the store may be closed once this completes.
     */
    public Future<Void> shutdown() {
        return onContext(() -> {
            closing = true;
            return deployment.<Void>transform(ignored -> {
                String id = deploymentId;
                deploymentId = null;
                return id == null ? Future.succeededFuture() : vertx.undeploy(id);
            });
        });
    }

    /**
     * Resumes the latest unfinished run (when storage.resume is on), else starts a new one; shows an
     * unresumable latest run and starts nothing.
     */
    private Future<String> startup() {
        return blocking(store::latestRun).compose(latest -> {
            if (server.storage().resume()
                    && latest.isPresent()
                    && State.UNRESUMABLE.label().equals(latest.get().state())) {
                RunRecord run = latest.get();
                activeRunId = run.id();
                activeConfig = configs.of(run);
                status = new TrainingStatus(
                        run.id(),
                        State.UNRESUMABLE,
                        run.epoch(),
                        activeConfig.training().epochs(),
                        run.iteration(),
                        0,
                        0,
                        run.message() == null ? "" : run.message(),
                        0);
                LOG.warn("run {} is not trained further: {}", run.id(), status.message());
                return Future.succeededFuture(run.id());
            }
            if (server.storage().resume()
                    && latest.isPresent()
                    && unfinished(latest.get().state())) {
                RunRecord run = latest.get();
                AppConfig config = configs.of(run);
                if (configs.fitsServer(config)) {
                    LOG.info("resuming run {} (was {} at iteration {})", run.id(), run.state(), run.iteration());
                    // an unresumable run is kept and shown; the server then starts nothing by itself
                    return deploy(run.id(), config, true, State.PAUSED.label().equals(run.state()))
                            .recover(e -> e.getCause() instanceof UnresumableRunException
                                    ? Future.succeededFuture(run.id())
                                    : Future.failedFuture(e));
                }
                LOG.warn(
                        "not resuming run {}: it trains classes {}, the configuration now names {}; starting a new"
                                + " run (resume the old one with the old configuration)",
                        run.id(),
                        config.training().classes(),
                        server.training().classes());
            }
            return startNow(List.of());
        });
    }

    /** Refused while a run is active. */
    @Override
    public Future<String> startRun(List<String> overrides) {
        return onContext(() -> startNow(overrides));
    }

    private Future<String> startNow(List<String> overrides) {
        if (closing) {
            return Future.failedFuture(new RunException(503, "the server is stopping"));
        }
        RunConfigurations.NewRun run;
        try {
            run = configs.newRun(overrides);
        } catch (RunException e) {
            return Future.failedFuture(e);
        }
        if (busy()) {
            return Future.failedFuture(new RunException(
                    409, "run " + activeRunId + " is " + status.state().label() + "; stop it before starting another"));
        }
        String id = newId();
        deploying = true;
        return blocking(() -> {
                    // with its network file's hash, so that resuming the run with a changed file is refused
                    journal(id).create(run.valuesJson());
                    return id;
                })
                .onFailure(e -> deploying = false)
                .compose(ignored -> deploy(id, run.config(), false, false));
    }

    /** Resuming a stopped or interrupted run redeploys it from its checkpoint. */
    @Override
    public Future<TrainingStatus> control(String runId, String action) {
        return onContext(() -> controlNow(runId, action));
    }

    private Future<TrainingStatus> controlNow(String runId, String action) {
        if (!List.of("pause", "resume", "stop").contains(action)) {
            return Future.failedFuture(
                    new RunException(400, "unknown action '" + action + "'; actions: pause, resume, stop"));
        }
        if (closing) {
            return Future.failedFuture(new RunException(503, "the server is stopping"));
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
                return vertx.eventBus()
                        .<TrainingStatus>request(Addresses.TRAINING_CONTROL, action)
                        .map(reply -> reply.body())
                        .recover(e -> Future.failedFuture(new RunException(
                                e instanceof ReplyException r
                                                && List.of(400, 409, 507).contains(r.failureCode())
                                        ? r.failureCode()
                                        : 503,
                                e.getMessage())));
            }
            if (deleting.contains(runId)) {
                return Future.failedFuture(new RunException(409, "run " + runId + " is being deleted"));
            }
            if ("resume".equals(action) && !State.FINISHED.label().equals(run.state())) {
                if (busy()) {
                    return Future.failedFuture(new RunException(
                            409,
                            "run " + activeRunId + " is " + status.state().label()
                                    + "; stop it before resuming another"));
                }
                return deploy(runId, configs.of(run), true, false).map(id -> status);
            }
            return Future.failedFuture(
                    new RunException(409, "run " + runId + " is " + run.state() + "; cannot " + action + " it"));
        });
    }

    @Override
    public Future<Void> labelRun(String runId, String name, String notes) {
        return blocking(() -> {
            if (!store.label(runId, name, notes)) {
                throw new RunException(404, "no run with id '" + runId + "'");
            }
            return null;
        });
    }

    /** Refused for the active run while it holds the trainer; the folder goes first, so a failure can be retried. */
    @Override
    public Future<Void> deleteRun(String runId) {
        return onContext(() -> deleteNow(runId));
    }

    private Future<Void> deleteNow(String runId) {
        if (runId.equals(activeRunId) && busy()) {
            return Future.failedFuture(new RunException(
                    409, "run " + runId + " is " + status.state().label() + "; stop it before deleting it"));
        }
        if (!deleting.add(runId)) {
            return Future.failedFuture(new RunException(409, "run " + runId + " is being deleted"));
        }
        Path root = server.storage().dir().resolve("runs");
        return undeployed
                .transform(ignored -> blocking(() -> {
                    if (store.run(runId).isEmpty()) {
                        throw new RunException(404, "no run with id '" + runId + "'");
                    }
                    RunFolders.delete(root, runId);
                    store.deleteRun(runId);
                    return (Void) null;
                }))
                .onComplete(done -> deleting.remove(runId))
                .onSuccess(done -> {
                    LOG.info("run {} deleted with its checkpoints", runId);
                    if (runId.equals(activeRunId)) {
                        activeRunId = "";
                    }
                });
    }

    private Future<String> deploy(String runId, AppConfig config, boolean resume, boolean paused) {
        activeRunId = runId;
        activeConfig = config;
        deploying = true;
        status = TrainingStatus.starting(runId, config.training().epochs());
        StoreJournal journal = journal(runId);
        RunContext run = new RunContext(runId, runDir(runId), journal, resume, paused);
        deployment = vertx.deployVerticle(
                        new TrainingVerticle(config, run, datasets), TrainingVerticle.deploymentOptions())
                .onSuccess(id -> {
                    deploying = false;
                    deploymentId = id;
                    if (!status.state().active() || closing) {
                        undeploy(); // it finished or failed during start, or the server is stopping
                    }
                })
                .recover(e -> recordFailure(runId, journal, e).transform(stored -> Future.failedFuture(e)));
        return deployment.recover(e -> Future.failedFuture(refusal(e, resume))).map(id -> runId);
    }

    /**
     * Shows and stores why a run did not start; completes once the state is stored, so that whoever waits
     * for the deployment reads the same state from the store as from the status.
     */
    private Future<Void> recordFailure(String runId, StoreJournal journal, Throwable e) {
        deploying = false;
        TrainingStatus failed = e instanceof UnresumableRunException u
                ? status.at(0, u.storedIteration(), 0, 0, 0).with(State.UNRESUMABLE, e.getMessage())
                : status.with(State.FAILED, String.valueOf(e.getMessage()));
        if (failed.state() == State.UNRESUMABLE) {
            LOG.warn("run {}: {}", runId, e.getMessage());
        } else {
            LOG.error("run {}: could not start: {}", runId, e.getMessage());
        }
        status = failed;
        vertx.eventBus().publish(Addresses.TRAINING_STATUS, failed);
        if (closing) {
            return Future.succeededFuture();
        }
        // state and message only: the stored iteration stays that of the history and checkpoints
        return blocking(() -> {
                    journal.recordState(failed);
                    return (Void) null;
                })
                .onFailure(w -> LOG.error("run {}: state not stored: {}", runId, w.getMessage()))
                .otherwiseEmpty();
    }

    /** Why a run could not be started or resumed, as the API answers it. */
    private static Throwable refusal(Throwable e, boolean resume) {
        if (e instanceof ModelException) {
            return new RunException(resume ? 409 : 400, e.getMessage(), e);
        }
        if (e instanceof UnresumableRunException) {
            return new RunException(409, e.getMessage(), e);
        }
        if (e instanceof DiskFullException) {
            return new RunException(507, e.getMessage(), e);
        }
        return e;
    }

    @Override
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
        undeployed = vertx.undeploy(id)
                .onFailure(e -> LOG.warn("undeploy of run {} failed: {}", activeRunId, e.getMessage()));
    }

    /** How this manager writes a run's rows: through the same journal its training uses. */
    private StoreJournal journal(String runId) {
        return new StoreJournal(store, runId, server.storage());
    }

    private Path runDir(String runId) {
        return server.storage().dir().resolve("runs").resolve(runId);
    }

    /** A run that was created or active when the server last stopped (or crashed). */
    private static boolean unfinished(String state) {
        return RunStore.CREATED.equals(state)
                || Stream.of(State.values()).anyMatch(s -> s.label().equals(state) && s.active());
    }

    private static String newId() {
        return "run-" + LocalDateTime.now().format(ID_TIME) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** Runs {@code work} on the manager's own context, so its state is only ever touched by one thread. */
    private <T> Future<T> onContext(Supplier<Future<T>> work) {
        if (Vertx.currentContext() == context) {
            return work.get();
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> work.get().onComplete(promise));
        return promise.future();
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, true);
    }
}
