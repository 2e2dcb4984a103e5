package io.lossprism.http;

import io.lossprism.bus.ReportJson;
import io.lossprism.runs.RunControl;
import io.lossprism.runs.RunException;
import io.lossprism.store.RunHistory;
import io.lossprism.store.RunRecord;
import io.lossprism.store.StoredAlert;
import io.lossprism.store.StoredReport;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The run control API under {@code /api/runs}: list and inspect runs and their history (reads), start
 * a run and pause, resume or stop one (controls, which the {@link AccessGuard} lets through only with
 * the token). Errors are JSON {@code {"error": "..."}} with a status that says why.
 */
final class RunApi {

    /** Most reports one history request returns; clients page with {@code after}. */
    static final int MAX_REPORTS = 5000;

    private static final int MAX_OVERRIDES = 100;

    private final RunHistory stored;
    private final RunControl runs;
    private final int maxRequestBytes;

    RunApi(RunHistory stored, RunControl runs, int maxRequestBytes) {
        this.stored = stored;
        this.runs = runs;
        this.maxRequestBytes = maxRequestBytes;
    }

    void mount(Router router, AccessGuard guard) {
        router.get("/api/runs").handler(this::list);
        router.get("/api/runs/:id").handler(this::show);
        router.get("/api/runs/:id/reports").handler(this::reports);
        router.get("/api/runs/:id/alerts").handler(this::alerts);
        router.post("/api/runs*").handler(guard::requireToken);
        router.post("/api/runs*").handler(BodyHandler.create(false).setBodyLimit(maxRequestBytes));
        router.post("/api/runs").handler(this::start);
        router.post("/api/runs/:id/:action").handler(this::control);
        mountEdits(router, guard);
    }

    /** PATCH (name, notes) and DELETE of a run: with the token, like every change. */
    private void mountEdits(Router router, AccessGuard guard) {
        router.patch("/api/runs/:id").handler(guard::requireToken);
        router.patch("/api/runs/:id").handler(BodyHandler.create(false).setBodyLimit(maxRequestBytes));
        router.patch("/api/runs/:id").handler(this::label);
        router.delete("/api/runs/:id").handler(guard::requireToken);
        router.delete("/api/runs/:id").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        respond(ctx, 200, blocking(ctx, () -> {
            JsonArray list = new JsonArray();
            RunListing listing = new RunListing(stored, runs);
            stored.runs().forEach(r -> list.add(listing.entry(r, summary(r))));
            return new JsonObject().put("current", runs.currentRunId()).put("runs", list);
        }));
    }

    private void show(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        respond(ctx, 200, blocking(ctx, () -> {
            RunRecord run = stored.run(id).orElseThrow(() -> new RunException(404, "no run with id '" + id + "'"));
            JsonObject counts = new JsonObject();
            for (String split : List.of("train", "validation")) {
                counts.put(
                        split,
                        new JsonObject()
                                .put("rows", stored.reportRows(id, split))
                                .put("iterations", stored.reportedIterations(id, split)));
            }
            return summary(run)
                    .put("config", new JsonObject(run.configJson()))
                    .put("model", runs.model(id))
                    .put("reports", counts);
        }));
    }

    private void reports(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        String split = ctx.queryParams().get("split") == null
                ? "train"
                : ctx.queryParams().get("split");
        if (!List.of("train", "validation").contains(split)) {
            fail(ctx, new RunException(400, "split: must be train or validation, got '" + split + "'"));
            return;
        }
        long after;
        int limit;
        try {
            after = parse(ctx, "after", 0, Long.MAX_VALUE, 0);
            limit = (int) parse(ctx, "limit", 1, MAX_REPORTS, 1000);
        } catch (RunException e) {
            fail(ctx, e);
            return;
        }
        respond(ctx, 200, blocking(ctx, () -> {
            stored.run(id).orElseThrow(() -> new RunException(404, "no run with id '" + id + "'"));
            JsonArray list = new JsonArray();
            for (StoredReport report : stored.reports(id, split, after, limit)) {
                list.add(new JsonObject(report.json()).put("merged", report.merged()));
            }
            return new JsonObject()
                    .put("run", id)
                    .put("split", split)
                    .put("after", after)
                    .put("reports", list);
        }));
    }

    private void alerts(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        respond(ctx, 200, blocking(ctx, () -> {
            stored.run(id).orElseThrow(() -> new RunException(404, "no run with id '" + id + "'"));
            JsonArray list = new JsonArray();
            for (StoredAlert alert : stored.alerts(id, MAX_REPORTS)) {
                list.add(new JsonObject(alert.json()));
            }
            return new JsonObject().put("run", id).put("alerts", list);
        }));
    }

    private void label(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        RunLabels labels;
        try {
            labels = RunLabels.parse(ctx.body().asString());
        } catch (RunException e) {
            fail(ctx, e);
            return;
        }
        respond(
                ctx,
                200,
                runs.labelRun(id, labels.name(), labels.notes())
                        .compose(v -> blocking(
                                ctx,
                                () -> summary(stored.run(id)
                                        .orElseThrow(() -> new RunException(404, "no run with id '" + id + "'"))))));
    }

    private void delete(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        respond(
                ctx,
                200,
                runs.deleteRun(id).map(v -> new JsonObject().put("id", id).put("deleted", true)));
    }

    private void start(RoutingContext ctx) {
        List<String> overrides = new ArrayList<>();
        try {
            String body = ctx.body().asString();
            JsonObject json = body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
            JsonArray list = json.getJsonArray("overrides", new JsonArray());
            if (list.size() > MAX_OVERRIDES) {
                throw new RunException(400, "overrides: at most " + MAX_OVERRIDES + " entries");
            }
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    throw new RunException(400, "overrides: must be a list of \"key=value\" strings");
                }
                overrides.add(text);
            }
        } catch (DecodeException | ClassCastException e) {
            fail(
                    ctx,
                    new RunException(400, "body: must be a JSON object like {\"overrides\": [\"training.epochs=5\"]}"));
            return;
        } catch (RunException e) {
            fail(ctx, e);
            return;
        }
        respond(ctx, 201, runs.startRun(overrides).map(id -> new JsonObject().put("id", id)));
    }

    private void control(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        respond(ctx, 200, runs.control(id, ctx.pathParam("action")).map(ReportJson::status));
    }

    private static JsonObject summary(RunRecord run) {
        return new JsonObject()
                .put("id", run.id())
                .put("name", run.name())
                .put("notes", run.notes())
                .put("state", run.state())
                .put("iteration", run.iteration())
                .put("epoch", run.epoch())
                .put("message", run.message())
                .put("createdAt", run.createdAt())
                .put("updatedAt", run.updatedAt());
    }

    private static long parse(RoutingContext ctx, String name, long min, long max, long fallback) {
        String text = ctx.queryParams().get(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new RunException(
                400,
                name + ": must be an integer from " + min + " to " + max + ", got '"
                        + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
    }

    private static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return ctx.vertx().executeBlocking(work, false);
    }

    private static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
        result.onSuccess(json -> ctx.response()
                        .setStatusCode(status)
                        .putHeader("Content-Type", "application/json")
                        .end(json.encode()))
                .onFailure(e -> fail(ctx, e));
    }

    static void fail(RoutingContext ctx, Throwable e) {
        int status = e instanceof RunException r ? r.status() : 500;
        String message = e instanceof RunException ? e.getMessage() : "internal error: " + e.getMessage();
        if (!ctx.response().ended()) {
            ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", message).encode());
        }
    }
}
