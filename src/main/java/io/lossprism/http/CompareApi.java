package io.lossprism.http;

import io.lossprism.compare.Alignment;
import io.lossprism.compare.ClassPoint;
import io.lossprism.compare.ConfigDifferences;
import io.lossprism.compare.Metric;
import io.lossprism.compare.RunSeries;
import io.lossprism.compare.Snapshot;
import io.lossprism.config.ConfigException;
import io.lossprism.config.ConfigLoader;
import io.lossprism.runs.RunException;
import io.lossprism.store.RunHistory;
import io.lossprism.store.RunRecord;
import io.lossprism.store.StoredReport;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code GET /api/compare?runs=a,b[,...]&split=train|validation[&points=N][&at=I]}: 2 to 6 runs side by side.
 * Per run its configuration and per-class series of IoU, Dice and loss term, downsampled keeping extremes
 * and placed on one iteration axis; each run's values at one iteration (the latest all runs reported, or
 * {@code at}); and the configuration keys whose values differ. The logic is in {@link io.lossprism.compare}.
 */
final class CompareApi {

    private final RunHistory stored;

    CompareApi(RunHistory stored) {
        this.stored = stored;
    }

    void mount(Router router) {
        router.get("/api/compare").handler(this::compare);
    }

    private void compare(RoutingContext ctx) {
        CompareRequest request;
        try {
            request = CompareRequest.parse(ctx.queryParams());
        } catch (RunException e) {
            RunApi.fail(ctx, e);
            return;
        }
        ctx.vertx()
                .executeBlocking(() -> compare(request), false)
                .onSuccess(json -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .end(json.encode()))
                .onFailure(e -> RunApi.fail(ctx, e));
    }

    /** Reads the runs and builds the answer. Blocking. */
    JsonObject compare(CompareRequest request) {
        List<RunRecord> runs = new ArrayList<>();
        for (String id : request.runs()) {
            runs.add(stored.run(id).orElseThrow(() -> new RunException(404, "runs: no run with id '" + id + "'")));
        }
        List<RunSeries> full = new ArrayList<>();
        List<RunSeries> kept = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        for (RunRecord run : runs) {
            RunSeries series = read(run.id(), request.split());
            full.add(series);
            kept.add(series.downsampled(request.points()));
            classes.addAll(series.classes());
        }
        OptionalLong common = Alignment.latestCommonIteration(full);
        Long at = request.at() != null ? request.at() : common.isPresent() ? common.getAsLong() : null;
        long[] axis = Alignment.axis(kept);

        List<Map<String, Object>> configs = new ArrayList<>();
        JsonArray list = new JsonArray();
        for (int r = 0; r < runs.size(); r++) {
            RunRecord run = runs.get(r);
            JsonObject config = new JsonObject(run.configJson());
            configs.add(config.getMap());
            list.add(runJson(run, config, full.get(r), kept.get(r), axis, at));
        }
        JsonObject differences = new JsonObject();
        ConfigDifferences.of(CompareConfigs.filled(configs))
                .forEach((key, values) -> differences.put(key, new JsonArray(values)));
        return new JsonObject()
                .put("split", request.split())
                .put("points", request.points())
                .put("classes", new JsonArray(List.copyOf(classes)))
                .put("iterations", longs(axis))
                .put("latestCommonIteration", common.isPresent() ? common.getAsLong() : null)
                .put("at", at)
                .put("configDifferences", differences)
                .put("runs", list);
    }

    private JsonObject runJson(RunRecord run, JsonObject config, RunSeries full, RunSeries kept, long[] axis, Long at) {
        JsonArray classes = new JsonArray();
        for (int c = 0; c < kept.classes().size(); c++) {
            JsonObject series = new JsonObject().put("name", kept.classes().get(c));
            for (Metric metric : Metric.values()) {
                series.put(metric.field(), numbers(Alignment.onAxis(axis, kept, kept.values(metric, c))));
            }
            classes.add(series);
        }
        OptionalLong latest = full.latestIteration();
        OptionalInt atIndex = at == null ? OptionalInt.empty() : full.indexAsOf(at);
        return new JsonObject()
                .put("id", run.id())
                .put("name", run.name())
                .put("state", run.state())
                .put("config", config)
                .put("loss", lossConfig(config))
                .put(
                        "lossSpec",
                        stored.latestReport(run.id(), "train")
                                .map(CompareApi::lossSpec)
                                .orElse(null))
                .put("latestIteration", latest.isPresent() ? latest.getAsLong() : null)
                .put("reports", full.size())
                .put("downsampled", kept.size() < full.size())
                .put(
                        "series",
                        new JsonObject()
                                .put("loss", numbers(Alignment.onAxis(axis, kept, kept.loss())))
                                .put("classes", classes))
                .put("at", atIndex.isPresent() ? snapshot(full.snapshot(atIndex.getAsInt())) : null);
    }

    /** A split's stored reports, page by page, as a series; the classes are those of its first report. */
    private RunSeries read(String runId, String split) {
        RunSeries.Builder builder = null;
        long after = 0;
        while (true) {
            List<StoredReport> page = stored.reports(runId, split, after, RunApi.MAX_REPORTS);
            for (StoredReport report : page) {
                JsonObject json = new JsonObject(report.json());
                List<ClassPoint> points = classPoints(json);
                if (builder == null) {
                    builder = RunSeries.builder(
                            points.stream().map(ClassPoint::name).distinct().toList());
                }
                builder.add(report.iteration(), number(json.getValue("loss")), points);
            }
            if (page.size() < RunApi.MAX_REPORTS) {
                return builder == null ? RunSeries.builder(List.of()).build() : builder.build();
            }
            after = page.get(page.size() - 1).iteration();
        }
    }

    private static List<ClassPoint> classPoints(JsonObject report) {
        List<ClassPoint> points = new ArrayList<>();
        for (Object item : report.getJsonArray("classes", new JsonArray())) {
            if (item instanceof JsonObject c && c.getValue("name") instanceof String name) {
                points.add(new ClassPoint(
                        name, number(c.getValue("iou")), number(c.getValue("dice")), number(c.getValue("loss"))));
            }
        }
        return points;
    }

    /** The loss as the run's configuration sets it; null when the stored values no longer bind. */
    private static JsonObject lossConfig(JsonObject config) {
        try {
            return RunListing.loss(ConfigLoader.fromValues(config.getMap(), List.of()));
        } catch (ConfigException | ClassCastException e) {
            return null;
        }
    }

    private static JsonObject lossSpec(StoredReport report) {
        try {
            return new JsonObject(report.json()).getJsonObject("lossSpec");
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static JsonObject snapshot(Snapshot s) {
        JsonArray classes = new JsonArray();
        for (ClassPoint c : s.classes()) {
            classes.add(new JsonObject()
                    .put("name", c.name())
                    .put("iou", defined(c.iou()))
                    .put("dice", defined(c.dice()))
                    .put("loss", defined(c.loss())));
        }
        return new JsonObject()
                .put("iteration", s.iteration())
                .put("loss", defined(s.loss()))
                .put("classes", classes);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Double defined(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static JsonArray numbers(double[] values) {
        JsonArray array = new JsonArray();
        for (double v : values) {
            array.add(defined(v));
        }
        return array;
    }

    private static JsonArray longs(long[] values) {
        JsonArray array = new JsonArray();
        for (long v : values) {
            array.add(v);
        }
        return array;
    }
}
