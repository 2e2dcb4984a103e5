package io.lossprism.ingest;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.LocalCodec;
import io.lossprism.bus.ReportJson;
import io.lossprism.config.IngestConfig;
import io.lossprism.runs.LiveRuns;
import io.lossprism.store.ReportRow;
import io.lossprism.store.RunOrigin;
import io.lossprism.store.RunRecord;
import io.lossprism.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the external runs: creates them in the store, checks and assembles their batch records, stores
 * each (run, split, step) once and publishes the reports stored now, and finishes runs. At most
 * {@code ingest.maxLiveRuns} runs are live; a live run the store knows but memory does not (after a
 * restart) is taken up again at its next request. State is touched on this verticle's event loop only;
 * store work runs in order on a worker.
 */
public final class IngestVerticle extends VerticleBase {

    static final String RUNNING = "running";
    static final String FINISHED = "finished";

    private static final Logger LOG = LoggerFactory.getLogger(IngestVerticle.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final IngestConfig config;
    private final RunStore store;
    private final LiveRuns liveRuns;
    private final Map<String, ExternalRun> live = new HashMap<>();

    public IngestVerticle(IngestConfig config, RunStore store, LiveRuns liveRuns) {
        this.config = config;
        this.store = store;
        this.liveRuns = liveRuns;
    }

    @Override
    public Future<?> start() {
        vertx.eventBus().registerDefaultCodec(IngestCommand.class, new LocalCodec<>(IngestCommand.class));
        vertx.eventBus().<IngestCommand>localConsumer(IngestCommand.ADDRESS, this::handle);
        vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> storeAlert(m.body()));
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        vertx.eventBus().unregisterDefaultCodec(IngestCommand.class);
        return Future.succeededFuture();
    }

    private void handle(Message<IngestCommand> message) {
        IngestCommand command = message.body();
        Future<JsonObject> reply;
        try {
            reply = switch (command.action()) {
                case CREATE -> create(command.body());
                case BATCHES -> batches(command.runId(), command.records());
                case FINISH -> finish(command.runId());
                case SHOW -> show(command.runId());
            };
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        reply.onSuccess(message::reply).onFailure(e -> message.reply(error(e)));
    }

    private Future<JsonObject> create(Object body) {
        ExternalRunSpec spec = ExternalRunSpec.parse(body, config.maxClasses());
        if (live.size() >= config.maxLiveRuns()) {
            throw new IngestException(
                    409,
                    "run",
                    live.size() + " external runs are live, the most ingest.maxLiveRuns allows; finish one first");
        }
        String id = newId();
        live.put(id, new ExternalRun(id, spec, false));
        long now = System.currentTimeMillis();
        return blocking(() -> {
                    store.createRun(id, RunOrigin.EXTERNAL, "{}", spec.meta().encode(), now);
                    store.updateRun(id, RUNNING, 0, 0, null, now);
                    return id;
                })
                .onFailure(e -> live.remove(id))
                .map(created -> {
                    liveRuns.register(id, spec.name(), LiveRuns.EXTERNAL);
                    LOG.info(
                            "external run {} ({}, {} classes) created",
                            id,
                            spec.name(),
                            spec.classes().size());
                    return reply(201, new JsonObject().put("id", id).put("state", RUNNING));
                });
    }

    private Future<JsonObject> batches(String runId, List<Object> records) {
        return find(runId).compose(run -> {
            if (run.finished) {
                throw new IngestException(409, "run", "run '" + runId + "' has finished and takes no more batches");
            }
            List<BatchRecord> parsed = run.parser.parse(records);
            long now = System.currentTimeMillis();
            List<BatchReport> reports = new ArrayList<>(parsed.size());
            List<ReportRow> rows = new ArrayList<>(parsed.size());
            long maxStep = 0;
            int maxEpoch = 0;
            for (BatchRecord r : parsed) {
                BatchReport report = run.assembler.assemble(r, r.timestamp() > 0 ? r.timestamp() : now);
                reports.add(report);
                rows.add(new ReportRow(
                        report.split(),
                        report.iteration(),
                        ReportJson.batch(report).encode()));
                if (r.step() >= maxStep) {
                    maxStep = r.step();
                    maxEpoch = r.epoch();
                }
            }
            long step = maxStep;
            int epoch = maxEpoch;
            // store work runs in order on one worker: the position only moves forward, and a finish
            // queued after this request is written after it
            return blocking(() -> {
                        boolean[] stored = store.appendNewReports(runId, rows);
                        if (step >= run.lastStep) {
                            run.lastStep = step;
                            run.lastEpoch = epoch;
                        }
                        store.updateRun(runId, RUNNING, run.lastStep, run.lastEpoch, null, System.currentTimeMillis());
                        return stored;
                    })
                    .map(stored -> {
                        liveRuns.progress(runId, run.lastEpoch, run.lastStep, 0);
                        int count = 0;
                        for (int i = 0; i < stored.length; i++) {
                            if (stored[i]) {
                                publish(reports.get(i));
                                count++;
                            }
                        }
                        return reply(
                                200,
                                new JsonObject()
                                        .put("run", runId)
                                        .put("received", stored.length)
                                        .put("stored", count)
                                        .put("duplicates", stored.length - count));
                    });
        });
    }

    /** Where an external run's report enters the bus: from here on it is an ordinary batch report. */
    private void publish(BatchReport report) {
        vertx.eventBus().publish(Addresses.BATCH_REPORT, report);
    }

    /** An external run's alerts are stored like a DL4J run's (whose training verticle stores its own). */
    private void storeAlert(AlertEvent alert) {
        if (live.containsKey(alert.runId())) {
            blocking(() -> {
                        store.appendAlert(
                                alert.runId(),
                                alert.iteration(),
                                alert.timestamp(),
                                ReportJson.alert(alert).encode());
                        return null;
                    })
                    .onFailure(e -> LOG.warn("run {}: alert not stored: {}", alert.runId(), e.getMessage()));
        }
    }

    private Future<JsonObject> finish(String runId) {
        return find(runId).compose(run -> {
            if (run.finished) {
                return Future.succeededFuture(reply(200, state(run)));
            }
            return blocking(() -> {
                        store.updateRun(runId, FINISHED, run.lastStep, run.lastEpoch, null, System.currentTimeMillis());
                        return null;
                    })
                    .map(v -> {
                        run.finished = true;
                        live.remove(runId);
                        liveRuns.finish(runId);
                        LOG.info("external run {} finished at step {}", runId, run.lastStep);
                        return reply(200, state(run));
                    });
        });
    }

    private Future<JsonObject> show(String runId) {
        return find(runId).map(run -> reply(200, state(run).put("meta", run.spec.meta())));
    }

    private static JsonObject state(ExternalRun run) {
        return new JsonObject()
                .put("id", run.id)
                .put("kind", RunOrigin.EXTERNAL)
                .put("state", run.finished ? FINISHED : RUNNING)
                .put("step", run.lastStep)
                .put("epoch", run.lastEpoch);
    }

    /** The run from memory, or from the store (finished, or live before a restart); 404 or 409 otherwise. */
    private Future<ExternalRun> find(String runId) {
        ExternalRun known = live.get(runId);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return blocking(() -> {
                    RunOrigin origin = store.origin(runId).orElse(null);
                    RunRecord record = origin == null ? null : store.run(runId).orElse(null);
                    return new Stored(origin, record);
                })
                .map(stored -> {
                    if (stored.record == null) {
                        throw new IngestException(404, "run", "no run with id '" + runId + "'");
                    }
                    if (!RunOrigin.EXTERNAL.equals(stored.origin.kind())) {
                        throw new IngestException(
                                409,
                                "run",
                                "run '" + runId + "' is trained by this server (" + stored.origin.kind()
                                        + "); only external runs take ingest requests");
                    }
                    ExternalRun again = live.get(runId);
                    if (again != null) {
                        return again;
                    }
                    boolean finished = FINISHED.equals(stored.record.state());
                    ExternalRun run = new ExternalRun(
                            runId, ExternalRunSpec.fromMeta(new JsonObject(stored.origin.meta())), finished);
                    run.lastStep = stored.record.iteration();
                    run.lastEpoch = stored.record.epoch();
                    if (!finished) {
                        if (live.size() >= config.maxLiveRuns()) {
                            throw new IngestException(
                                    409, "run", "too many live external runs (ingest.maxLiveRuns); finish one first");
                        }
                        live.put(runId, run);
                        liveRuns.register(runId, run.spec.name(), LiveRuns.EXTERNAL);
                    }
                    return run;
                });
    }

    private record Stored(RunOrigin origin, RunRecord record) {}

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work);
    }

    static JsonObject reply(int status, JsonObject body) {
        return new JsonObject().put("status", status).put("body", body);
    }

    static JsonObject error(Throwable e) {
        if (e instanceof IngestException i) {
            return reply(
                    i.status(), new JsonObject().put("error", i.getMessage()).put("field", i.field()));
        }
        LOG.error("ingest request failed", e);
        return reply(500, new JsonObject().put("error", "internal error: " + e.getMessage()));
    }

    private static String newId() {
        return "ext-" + LocalDateTime.now().format(ID_TIME) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
    }
}
