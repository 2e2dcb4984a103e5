package io.lossprism.http;

import io.lossprism.alert.rules.ActiveAlert;
import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.AlertSnapshot;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.RunEvent;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.AppConfig;
import io.lossprism.ingest.IngestApi;
import io.lossprism.probes.ProbeSet;
import io.lossprism.runs.LiveRuns;
import io.lossprism.runs.RunControl;
import io.lossprism.store.RunHistory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard, the live feed, metrics, status, alerts and the run API. Follows training and alerts
 * through the event bus; reads stored history through {@link RunHistory} and asks for run changes through
 * {@link RunControl}.
 *
 * <p>The server itself runs as {@code http.eventLoops} {@link HttpLoop} instances, each on its own event
 * loop, sharing the port: a crowd of dashboards, their sockets and the API do not all wait on one thread.
 * This verticle is their common part, on a loop of its own: it follows the event bus once for all of
 * them (the runs' views here, the feed's histories in the {@link FeedHub}, from which each loop sends to
 * its own clients), and holds what must be the process's whatever the loop a request lands on: the
 * access guard with its rate limiter, the ingest API's limiter, the log throttle. The views are read
 * from every loop, so they are guarded by their own lock.
 */
public final class HttpVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
    /** Runs whose latest status, alerts and classes are kept; older ones are read from the store. */
    static final int RUNS_VIEWED = 64;

    /** A run's progress goes to the dashboards 4 times a second at most: what a person reads, not a batch rate. */
    static final long STATUS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The last negative port handed out: Vert.x's key for one random port shared by several servers. */
    private static final AtomicInteger SHARED_RANDOM_PORTS = new AtomicInteger();

    private final AppConfig config;
    private final PrometheusMeterRegistry registry;
    private final RunHistory stored;
    private final RunControl runs;
    private final AccessGuard guard;
    private final LiveRuns live;
    private final int defaultEpochs;
    /**
     * What the status, alerts and hello of recent runs show, the least recently updated dropped first.
     * Guarded by itself: written on this verticle's loop, read on every HTTP loop.
     */
    private final Map<String, RunView> views = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunView> eldest) {
            return size() > RUNS_VIEWED;
        }
    };

    /** The feed's process-wide part: histories, snapshots, pace, counts. */
    private final FeedHub hub;

    private final StatusPace statusPace = new StatusPace(STATUS_INTERVAL_NANOS);
    /** Shared by every loop's router: its rate limiter is the process's. */
    private final IngestApi ingest;

    private final LogThrottle errorLog;
    /** The HTTP instances deployed, the first one first. */
    private final List<HttpLoop> loops = new CopyOnWriteArrayList<>();

    /** @param live the runs live now, DL4J and external, which {@code GET /api/live} lists */
    public HttpVerticle(
            AppConfig config,
            PrometheusMeterRegistry registry,
            AccessToken token,
            RunHistory stored,
            RunControl runs,
            LiveRuns live) {
        this.config = config;
        this.registry = registry;
        this.stored = stored;
        this.runs = runs;
        this.live = live;
        this.guard = new AccessGuard(token, config.http());
        this.defaultEpochs = config.training().epochs();
        this.hub = new FeedHub(this::retained, config.http().feedOpeningsPerSecond(), System::nanoTime);
        this.ingest = new IngestApi(config.ingest());
        this.errorLog = new LogThrottle(LOG, 10, TimeUnit.SECONDS, System::nanoTime);
    }

    /** The runs live now, DL4J and external: where the ingest API registers and finishes external runs. */
    public LiveRuns liveRuns() {
        return live;
    }

    /** The port actually bound (differs from config when config asks for port 0); every instance's. */
    public int port() {
        return loops.get(0).port();
    }

    /** The port of each HTTP instance, in the order deployed; all the same. */
    List<Integer> ports() {
        return loops.stream().map(HttpLoop::port).toList();
    }

    /** Connected feed clients of each HTTP instance, in the order deployed. */
    Future<List<Integer>> clientsPerLoop() {
        return Future.all(loops.stream().map(HttpLoop::clients).toList()).map(all -> all.<Integer>list());
    }

    /** The feed's process-wide part; for tests. */
    FeedHub feedHub() {
        return hub;
    }

    /** A status to the dashboards, paced ({@link StatusPace}); on this verticle's own context. */
    private void forwardStatus(TrainingStatus status) {
        long now = System.nanoTime();
        switch (statusPace.offer(status, now)) {
            case SEND -> hub.onStatus(status);
            case HOLD_AND_SCHEDULE ->
                vertx.setTimer(
                        Math.max(1, TimeUnit.NANOSECONDS.toMillis(statusPace.waitNanos(status.runId(), now))),
                        id -> statusPace
                                .release(status.runId(), System.nanoTime())
                                .ifPresent(hub::onStatus));
            case HOLD -> {
                // the release already scheduled sends the newest held
            }
        }
        if (!status.state().active()) {
            statusPace.forget(status.runId());
        }
    }

    @Override
    public Future<?> start() {
        vertx.eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> {
            synchronized (views) {
                view(m.body().runId()).report(m.body());
            }
            hub.onBatch(m.body());
        });
        vertx.eventBus()
                .<ProbeSet>localConsumer(
                        Addresses.SAMPLES, m -> hub.onSamples(m.body().runId(), ReportJson.samples(m.body())));
        vertx.eventBus().<RunEvent>localConsumer(Addresses.RUN_EVENT, m -> reloadHistory(m.body()));
        vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> hub.onAlert(m.body()));
        vertx.eventBus().<AlertSnapshot>localConsumer(Addresses.ALERTS, m -> {
            synchronized (views) {
                view(m.body().runId()).alerts = m.body();
            }
        });
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> {
            synchronized (views) {
                RunView view = view(m.body().runId());
                view.status = m.body();
                live.get(m.body().runId()).ifPresent(r -> view.kind = r.kind());
            }
            forwardStatus(m.body());
        });

        // Vert.x binds port 0 anew for each server; a negative port is one random port that the servers
        // given the same negative number share, so each HTTP verticle of the process takes its own
        int port = config.http().port();
        return deployLoops(
                port == 0 ? SHARED_RANDOM_PORTS.decrementAndGet() : port,
                config.http().eventLoops());
    }

    private Future<Void> deployLoops(int port, int instances) {
        HttpServerOptions options = LiveFeed.configure(
                new HttpServerOptions().setHost(config.http().host()).setPort(port));
        FeedRuns feedRuns = new FeedRuns();
        return vertx.deployVerticle(
                        () -> {
                            HttpLoop loop = new HttpLoop(options, hub, feedRuns, this::control, this::router);
                            loops.add(loop);
                            return loop;
                        },
                        new DeploymentOptions().setInstances(instances))
                .mapEmpty();
    }

    /** The routes of one HTTP instance, whose live feed is {@code feed}. */
    private Router router(Vertx loopVertx, LiveFeed feed) {
        Router router = Router.router(loopVertx);
        ingest.handleFailures(router);
        new RequestErrors(errorLog, config.http().maxRequestBytes()).install(router);
        router.route().handler(SecurityHeaders::handle);
        router.route().handler(new HostCheck(config.http()));
        router.route().handler(guard::rateLimit);
        router.route().handler(new MethodGuard(router));
        router.get("/api/*").handler(guard::protectRead);
        router.get("/metrics").handler(guard::protectRead);
        router.get("/ws").handler(guard::protectRead);
        router.get("/ws").handler(guard::checkOrigin);
        new RunApi(stored, runs, config.http().maxRequestBytes()).mount(router, guard);
        ingest.mount(router, guard::requireToken);
        new CompareApi(stored).mount(router);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/api/status").handler(this::status);
        router.get("/api/alerts").handler(this::alerts);
        router.get("/api/live").handler(this::liveRuns);
        router.get("/ws").handler(ctx -> feed.accept(ctx.request()));
        // HEAD routed here, as a rerouted HEAD would still get the file: StaticHandler answers it itself
        router.route("/webjars/*")
                .method(HttpMethod.GET)
                .method(HttpMethod.HEAD)
                .handler(StaticHandler.create("META-INF/resources/webjars"));
        router.route("/*")
                .method(HttpMethod.GET)
                .method(HttpMethod.HEAD)
                .handler(StaticHandler.create("web").setCachingEnabled(false));
        router.route("/api/*")
                .last()
                .handler(ctx -> AccessGuard.refuse(
                        ctx, 404, "no such API endpoint: " + ctx.request().method() + " " + ctx.normalizedPath()));
        return router;
    }

    /** A control message from the feed: the token first, then the run manager. */
    private Future<JsonObject> control(String action, String token) {
        if (!guard.token().matches(token)) {
            return Future.succeededFuture(new JsonObject()
                    .put("ok", false)
                    .put("error", token == null || token.isEmpty() ? AccessGuard.NO_TOKEN : AccessGuard.INVALID_TOKEN));
        }
        return runs.control(runs.currentRunId(), action)
                .map(s -> new JsonObject().put("ok", true).put("status", ReportJson.status(s)))
                .recover(e ->
                        Future.succeededFuture(new JsonObject().put("ok", false).put("error", e.getMessage())));
    }

    /**
     * A run started, or went back to a checkpoint: its in-memory history is rebuilt from the store, page
     * by page (a long run's history never sits in memory whole), while live reports keep arriving after
     * it; then every client following it gets the opening sequence again. The event comes before the run's
     * first new report, so clearing here loses nothing.
     */
    private void reloadHistory(RunEvent event) {
        load(event.runId(), !"resumed".equals(event.reason()));
    }

    /** Loads a run's stored history into the feed, then restarts its clients. */
    private void load(String runId, boolean newRun) {
        ReportHistory history = hub.history(runId);
        history.clear();
        loadPages(history, runId, "train", 0)
                .compose(v -> loadPages(history, runId, "validation", 0))
                .onSuccess(v -> hub.restart(runId, newRun))
                .onFailure(e -> LOG.error("run {}: history not loaded: {}", runId, e.getMessage()));
    }

    private Future<Void> loadPages(ReportHistory history, String runId, String split, long after) {
        return vertx.executeBlocking(() -> stored.reports(runId, split, after, RunApi.MAX_REPORTS))
                .compose(page -> {
                    page.forEach(r -> history.add(r.split(), r.iteration(), r.json()));
                    if (page.size() < RunApi.MAX_REPORTS) {
                        return Future.succeededFuture();
                    }
                    return loadPages(
                            history, runId, split, page.get(page.size() - 1).iteration());
                });
    }

    /**
     * The run a request without {@code ?run=} means: the DL4J run while it is live (or starting), else the
     * most recently registered live run, else the last DL4J run; empty before any.
     */
    private String defaultRun() {
        String current = runs.currentRunId();
        boolean active;
        synchronized (views) {
            RunView view = views.get(current);
            active = view == null || view.status == null || view.status.state().active();
        }
        if (!current.isEmpty() && active) {
            return current;
        }
        return live.mostRecent().map(LiveRuns.LiveRun::id).orElse(current);
    }

    /** The run named by {@code ?run=}, else {@link #defaultRun()}. */
    private String runOf(RoutingContext ctx) {
        String run = ctx.request().getParam("run");
        return run == null || run.isBlank() ? defaultRun() : run.trim();
    }

    /** The view of a run, made if there is none; under the views' lock. */
    private RunView view(String runId) {
        return views.computeIfAbsent(runId, id -> new RunView());
    }

    private TrainingStatus statusOf(String runId) {
        synchronized (views) {
            RunView view = views.get(runId);
            return view == null || view.status == null ? TrainingStatus.starting(runId, defaultEpochs) : view.status;
        }
    }

    /** {@code ?run=}: that run's status; without it the default run's. */
    private void status(RoutingContext ctx) {
        String runId = runOf(ctx);
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(ReportJson.status(statusOf(runId))
                        .put("live", live.get(runId).isPresent())
                        .put("clients", hub.clients())
                        .encode());
    }

    /** {@code ?run=}: that run's alerts; without it the default run's. */
    private void alerts(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(alertsJson(runOf(ctx)).encode());
    }

    /** The live runs, most recent first: id, name, kind (dl4j or external), state and iteration. */
    private void liveRuns(RoutingContext ctx) {
        JsonArray list = new JsonArray();
        for (LiveRuns.LiveRun run : live.list()) {
            list.add(new JsonObject()
                    .put("id", run.id())
                    .put("name", run.name())
                    .put("kind", run.kind())
                    .put("state", run.state())
                    .put("iteration", run.iteration()));
        }
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject()
                        .put("default", defaultRun())
                        .put("runs", list)
                        .encode());
    }

    private JsonObject alertsJson(String runId) {
        AlertSnapshot snapshot;
        synchronized (views) {
            RunView view = views.get(runId);
            snapshot = view == null || view.alerts == null ? AlertSnapshot.empty(runId) : view.alerts;
        }
        JsonArray active = new JsonArray();
        snapshot.active().forEach(a -> active.add(activeAlert(a)));
        JsonArray transitions = new JsonArray();
        for (var event : snapshot.history()) {
            JsonObject json = ReportJson.alert(event);
            json.remove("type");
            transitions.add(json);
        }
        return new JsonObject().put("run", runId).put("active", active).put("history", transitions);
    }

    private static JsonObject activeAlert(ActiveAlert a) {
        return new JsonObject()
                .put("alertname", a.alertName())
                .put("class", a.className())
                .put("severity", a.severity())
                .put("split", a.split())
                .put("state", a.state().name().toLowerCase(Locale.ROOT))
                .put("sinceIteration", a.sinceIteration())
                .put("value", ReportJson.number(a.value()))
                .put("evidence", ReportJson.evidence(a.evidence()))
                .put("summary", a.summary());
    }

    private JsonObject hello(String runId) {
        TrainingStatus status = statusOf(runId);
        String viewKind;
        String convention;
        List<String> viewClasses;
        synchronized (views) {
            RunView view = views.get(runId);
            viewKind = view == null ? LiveRuns.DL4J : view.kind;
            convention = view == null ? null : view.convention;
            viewClasses = view == null ? List.of() : view.classes;
        }
        String kind = live.get(runId).map(LiveRuns.LiveRun::kind).orElse(viewKind);
        boolean external = LiveRuns.EXTERNAL.equals(kind);
        var training = runs.currentConfig().training();
        List<String> classes = !viewClasses.isEmpty() ? viewClasses : external ? List.of() : training.classes();
        JsonObject hello = new JsonObject()
                .put("type", "hello")
                .put("protocol", LiveFeed.PROTOCOL_VERSION)
                .put("version", BatchReport.VERSION)
                .put(
                        "run",
                        new JsonObject()
                                .put("id", status.runId())
                                .put("state", status.state().label())
                                .put("kind", kind)
                                .put(
                                        "name",
                                        live.get(runId)
                                                .map(LiveRuns.LiveRun::name)
                                                .orElse(runId)))
                .put("controlsNeedToken", true)
                .put("classes", new JsonArray(classes))
                .put("iterationsPerEpoch", status.iterationsPerEpoch())
                .put("convention", convention)
                .put("status", ReportJson.status(status));
        if (!external) { // the DL4J run's training settings; an external run's are its framework's own
            hello.put("imageSize", training.imageSize())
                    .put("batchSize", training.batchSize())
                    .put("epochs", training.epochs());
        }
        return hello;
    }

    /** The latest status, alerts and report facts of one run, as the HTTP verticle saw them; under the views' lock. */
    private static final class RunView {
        TrainingStatus status;
        AlertSnapshot alerts;
        String kind = LiveRuns.DL4J;
        /** The convention and classes of the latest report: the hello names them before the next batch. */
        String convention;

        List<String> classes = List.of();

        void report(BatchReport report) {
            convention = report.convention();
            classes = report.classes().stream().map(c -> c.name()).toList();
        }
    }

    /** Whether a run's history stays held while no client follows it: it is live, or the current DL4J run. */
    private boolean retained(String runId) {
        return runId.equals(runs.currentRunId()) || live.get(runId).isPresent();
    }

    /** What the feed asks about runs, answered from this verticle's views. */
    private final class FeedRuns implements LiveFeedRuns {

        @Override
        public String defaultRun() {
            return HttpVerticle.this.defaultRun();
        }

        @Override
        public JsonObject hello(String runId) {
            return HttpVerticle.this.hello(runId);
        }

        @Override
        public JsonObject alerts(String runId) {
            return alertsJson(runId);
        }

        /** On this verticle's loop, where every other history load runs. */
        @Override
        public void load(String runId) {
            context.runOnContext(v -> HttpVerticle.this.load(runId, false));
        }

        @Override
        public boolean controllable(String runId) {
            return runId.equals(runs.currentRunId());
        }

        @Override
        public boolean retained(String runId) {
            return HttpVerticle.this.retained(runId);
        }
    }
}
