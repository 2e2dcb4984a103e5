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
import io.lossprism.probes.ProbeSet;
import io.lossprism.runs.RunControl;
import io.lossprism.store.RunHistory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the dashboard, the live feed, metrics, status, alerts and the run API. Follows training and alerts
 * through the event bus; reads stored history through {@link RunHistory} and asks for run changes through
 * {@link RunControl}.
 */
public final class HttpVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

    private final AppConfig config;
    private final PrometheusMeterRegistry registry;
    private final RunHistory stored;
    private final RunControl runs;
    private final AccessGuard guard;
    private final ReportHistory history = new ReportHistory();
    /** The convention of the latest report: the hello names it before the next batch arrives. */
    private String convention;

    private volatile TrainingStatus status;
    private AlertSnapshot latestAlerts = AlertSnapshot.EMPTY;
    private LiveFeed feed;
    private HttpServer server;

    public HttpVerticle(
            AppConfig config, PrometheusMeterRegistry registry, AccessToken token, RunHistory stored, RunControl runs) {
        this.config = config;
        this.registry = registry;
        this.stored = stored;
        this.runs = runs;
        this.guard = new AccessGuard(token, config.http());
        this.status = TrainingStatus.starting("", config.training().epochs());
    }

    /** The port actually bound (differs from config when config asks for port 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() {
        feed = new LiveFeed(history, this::hello, this::alertsJson, this::control);
        vertx.eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> {
            convention = m.body().convention();
            feed.onBatch(m.body());
        });
        vertx.eventBus().<ProbeSet>localConsumer(Addresses.SAMPLES, m -> feed.onSamples(ReportJson.samples(m.body())));
        vertx.eventBus().<RunEvent>localConsumer(Addresses.RUN_EVENT, m -> reloadHistory(m.body()));
        vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> feed.onAlert(m.body()));
        vertx.eventBus().<AlertSnapshot>localConsumer(Addresses.ALERTS, m -> latestAlerts = m.body());
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> {
            status = m.body();
            feed.onStatus(status);
        });

        Router router = Router.router(vertx);
        router.route("/api/*").handler(guard::rateLimit);
        router.route("/ws").handler(guard::rateLimit);
        router.get("/api/*").handler(guard::protectRead);
        router.get("/metrics").handler(guard::protectRead);
        router.get("/ws").handler(guard::protectRead);
        router.get("/ws").handler(guard::checkOrigin);
        new RunApi(stored, runs, config.http().maxRequestBytes()).mount(router, guard);
        new CompareApi(stored).mount(router);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/api/status").handler(this::status);
        router.get("/api/alerts").handler(this::alerts);
        router.get("/ws").handler(ctx -> feed.accept(ctx.request()));
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        router.get("/*").handler(StaticHandler.create("web").setCachingEnabled(false));
        router.route("/api/*")
                .last()
                .handler(ctx -> AccessGuard.refuse(
                        ctx, 404, "no such API endpoint: " + ctx.request().method() + " " + ctx.normalizedPath()));

        HttpServerOptions options = LiveFeed.configure(new HttpServerOptions()
                .setHost(config.http().host())
                .setPort(config.http().port()));
        return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
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
     * A run started, or went back to a checkpoint: the in-memory history is rebuilt from the store, page
     * by page (a long run's history never sits in memory whole), while live reports keep arriving after
     * it; then every client gets the opening sequence again. The event comes before the run's first new
     * report, so clearing here loses nothing.
     */
    private void reloadHistory(RunEvent event) {
        history.clear();
        loadPages(event, "train", 0)
                .compose(v -> loadPages(event, "validation", 0))
                .onSuccess(v -> feed.restart(!"resumed".equals(event.reason())))
                .onFailure(e -> LOG.error("run {}: history not loaded: {}", event.runId(), e.getMessage()));
    }

    private Future<Void> loadPages(RunEvent event, String split, long after) {
        return vertx.executeBlocking(() -> stored.reports(event.runId(), split, after, RunApi.MAX_REPORTS))
                .compose(page -> {
                    page.forEach(r -> history.add(r.split(), r.iteration(), r.json()));
                    if (page.size() < RunApi.MAX_REPORTS) {
                        return Future.succeededFuture();
                    }
                    return loadPages(event, split, page.get(page.size() - 1).iteration());
                });
    }

    private void status(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(ReportJson.status(status).put("clients", feed.clients()).encode());
    }

    private void alerts(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(alertsJson().encode());
    }

    private JsonObject alertsJson() {
        JsonArray active = new JsonArray();
        latestAlerts.active().forEach(a -> active.add(activeAlert(a)));
        JsonArray transitions = new JsonArray();
        for (var event : latestAlerts.history()) {
            JsonObject json = ReportJson.alert(event);
            json.remove("type");
            transitions.add(json);
        }
        return new JsonObject().put("active", active).put("history", transitions);
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

    private JsonObject hello() {
        var training = runs.currentConfig().training();
        return new JsonObject()
                .put("type", "hello")
                .put("version", BatchReport.VERSION)
                .put(
                        "run",
                        new JsonObject()
                                .put("id", status.runId())
                                .put("state", status.state().label()))
                .put("controlsNeedToken", true)
                .put("classes", new JsonArray(training.classes()))
                .put("imageSize", training.imageSize())
                .put("batchSize", training.batchSize())
                .put("epochs", training.epochs())
                .put("iterationsPerEpoch", status.iterationsPerEpoch())
                .put("convention", convention)
                .put("status", ReportJson.status(status));
    }
}
