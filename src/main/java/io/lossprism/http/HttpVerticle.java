package io.lossprism.http;

import io.lossprism.alert.ActiveAlert;
import io.lossprism.alerting.AlertLog;
import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ReportJson;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.AppConfig;
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

/** Serves the dashboard, the live feed, metrics and status; follows training through the event bus. */
public final class HttpVerticle extends VerticleBase {

    /** Largest WebSocket frame or message a client may send; control messages are small. */
    private static final int MAX_WEBSOCKET_MESSAGE = ControlRequests.MAX_MESSAGE_BYTES;
    /** Until training controls are wired, every control is refused. */
    private static final ControlHandler NO_CONTROLS = (action, token) -> Future.succeededFuture(
            new JsonObject().put("ok", false).put("error", "controls not available"));

    private final AppConfig config;
    private final PrometheusMeterRegistry registry;
    private final AlertLog alertLog;
    private final ReportHistory history = new ReportHistory();
    private volatile TrainingStatus status;
    private LiveFeed feed;
    private HttpServer server;

    public HttpVerticle(AppConfig config, PrometheusMeterRegistry registry, AlertLog alertLog) {
        this.config = config;
        this.registry = registry;
        this.alertLog = alertLog;
        this.status = TrainingStatus.starting(config.training().epochs());
    }

    /** The port actually bound (differs from config when config asks for port 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() {
        feed = new LiveFeed(history, this::hello, this::alertsJson, NO_CONTROLS);
        vertx.eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> feed.onBatch(m.body()));
        vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> feed.onAlert(m.body()));
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> {
            status = m.body();
            feed.onStatus(status);
        });

        Router router = Router.router(vertx);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/api/status").handler(this::status);
        router.get("/api/alerts").handler(this::alerts);
        router.get("/ws").handler(ctx -> feed.accept(ctx.request()));
        router.get("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        router.get("/*").handler(StaticHandler.create("web").setCachingEnabled(false));

        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.http().host())
                .setPort(config.http().port())
                .setMaxWebSocketFrameSize(MAX_WEBSOCKET_MESSAGE)
                .setMaxWebSocketMessageSize(MAX_WEBSOCKET_MESSAGE);
        return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
    }

    private void status(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json")
                .end(ReportJson.status(status).put("clients", feed.clients()).encode());
    }

    private void alerts(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end(alertsJson().encode());
    }

    private JsonObject alertsJson() {
        JsonArray active = new JsonArray();
        alertLog.active().forEach(a -> active.add(activeAlert(a)));
        JsonArray transitions = new JsonArray();
        for (var event : alertLog.history()) {
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
        var training = config.training();
        return new JsonObject()
                .put("type", "hello")
                .put("version", BatchReport.VERSION)
                .put("classes", new JsonArray(training.classes()))
                .put("imageSize", training.imageSize())
                .put("batchSize", training.batchSize())
                .put("epochs", training.epochs())
                .put("iterationsPerEpoch", status.iterationsPerEpoch())
                // placeholders until runs are stored: no run id yet, and the convention comes with the batches
                .put("run", new JsonObject().put("id", null).put("state", status.state().label())
                        .put("createdAt", null))
                .put("convention", null)
                .put("controlsNeedToken", true)
                .put("status", ReportJson.status(status));
    }
}
