package io.lossprism.ingest;

import io.lossprism.config.IngestConfig;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/**
 * The ingest routes under {@code /api/ingest/runs}: create an external run, send its batch records,
 * finish it, show it. Writes need the control token; batches are bounded by size (as sent and
 * decompressed), records per request and requests per second per run and address. The work is done by
 * {@link IngestVerticle}, over the event bus. Errors are JSON {@code {"error": "field: why", "field": ...}}.
 */
public final class IngestApi {

    private static final long REPLY_TIMEOUT_MILLIS = 60_000;

    private final IngestConfig config;
    private final BodyDecoder decoder;
    private final RunRateLimiter limiter;

    public IngestApi(IngestConfig config) {
        this.config = config;
        this.decoder = new BodyDecoder(config.maxDecompressedBytes(), config.maxRecordsPerRequest());
        this.limiter = new RunRateLimiter(config.requestsPerSecond(), 10_000, System::nanoTime);
    }

    /**
     * Answers the ingest routes' failures (a body over {@code ingest.maxBodyBytes}: 413 naming that key):
     * install it before the server's general failure handler, which would answer first.
     */
    public void handleFailures(Router router) {
        router.route("/api/ingest/*").failureHandler(this::failed);
    }

    /** @param requireToken the server's check of the control token, run before every write */
    public void mount(Router router, Handler<RoutingContext> requireToken) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
        router.get("/api/ingest/runs/:id").handler(ctx -> send(ctx, IngestCommand.Action.SHOW, null, null));
        router.post("/api/ingest/*").handler(requireToken);
        router.post("/api/ingest/runs").handler(body).handler(this::create);
        // the rate is checked before the body is read; a body handler must open its route
        router.post("/api/ingest/runs/:id/batches").handler(this::rateLimit);
        router.post("/api/ingest/runs/:id/batches").handler(body).handler(this::batches);
        router.post("/api/ingest/runs/:id/finish").handler(ctx -> send(ctx, IngestCommand.Action.FINISH, null, null));
    }

    private void create(RoutingContext ctx) {
        Object json;
        try {
            json = Json.decodeValue(
                    ctx.body().buffer() == null ? "" : ctx.body().asString());
        } catch (DecodeException e) {
            json = null;
        }
        if (!(json instanceof JsonObject)) {
            respond(
                    ctx,
                    400,
                    "body",
                    "body: must be a JSON object like {\"name\": \"unet\", \"classes\": [\"road\"], \"loss\": \"bce\","
                            + " \"convention\": \"keras\"}");
            return;
        }
        send(ctx, IngestCommand.Action.CREATE, json, null);
    }

    private void rateLimit(RoutingContext ctx) {
        String address = ctx.request().remoteAddress() == null
                ? "unknown"
                : ctx.request().remoteAddress().hostAddress();
        long wait = limiter.acquire(ctx.pathParam("id") + " " + address);
        if (wait == 0) {
            ctx.next();
        } else {
            ctx.response().putHeader("Retry-After", Long.toString(wait));
            respond(
                    ctx,
                    429,
                    "run",
                    "run: more than " + config.requestsPerSecond()
                            + " batch requests per second for this run from this address"
                            + " (ingest.requestsPerSecond); retry after " + wait + " s");
        }
    }

    private void batches(RoutingContext ctx) {
        List<Object> records;
        try {
            byte[] bytes = ctx.body().buffer() == null
                    ? new byte[0]
                    : ctx.body().buffer().getBytes();
            records = decoder.decode(
                    bytes,
                    ctx.request().getHeader("Content-Type"),
                    ctx.request().getHeader("Content-Encoding"));
        } catch (IngestException e) {
            respond(ctx, e.status(), e.field(), e.getMessage());
            return;
        }
        send(ctx, IngestCommand.Action.BATCHES, null, records);
    }

    private void send(RoutingContext ctx, IngestCommand.Action action, Object body, List<Object> records) {
        IngestCommand command = new IngestCommand(action, ctx.pathParam("id"), body, records);
        try {
            ctx.vertx()
                    .eventBus()
                    .<JsonObject>request(
                            IngestCommand.ADDRESS, command, new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MILLIS))
                    .onSuccess(reply -> {
                        JsonObject json = reply.body();
                        end(ctx, json.getInteger("status"), json.getJsonObject("body"));
                    })
                    .onFailure(e -> respond(ctx, 503, "ingest", "ingest: not available now: " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            // no codec registered: the ingest verticle is not deployed
            respond(ctx, 503, "ingest", "ingest: this server does not run the ingest service");
        }
    }

    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (status == 413) {
            respond(ctx, 413, "body", "body: larger than " + config.maxBodyBytes() + " bytes (ingest.maxBodyBytes)");
        } else if (status >= 500) {
            respond(ctx, status, "ingest", "internal error: " + ctx.failure());
        } else {
            respond(ctx, status, "request", "request: refused (" + status + ")");
        }
    }

    private static void respond(RoutingContext ctx, int status, String field, String message) {
        end(ctx, status, new JsonObject().put("error", message).put("field", field));
    }

    private static void end(RoutingContext ctx, int status, JsonObject body) {
        if (!ctx.response().ended()) {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(body.encode());
        }
    }
}
