package io.lossprism.training;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.RunEvent;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.lossprism.config.AppConfig;
import io.lossprism.data.Dataset;
import io.lossprism.data.Split;
import io.lossprism.model.ModelSummaryFile;
import io.lossprism.probes.ProbeSet;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one run's {@link Trainer} on a worker thread, one batch per task: after each batch it re-queues
 * itself on its context, so control messages (pause, resume, stop) and undeployment are handled
 * between batches. Publishes a {@link BatchReport} per batch and a {@link TrainingStatus} per change,
 * and writes both, and the alert transitions of its run, to the run's journal. When to checkpoint is the
 * {@link CheckpointPolicy}'s call, when to validate, sample and log the {@link MonitorSchedule}'s.
 *
 * <p>The training thread only fits: each fitted batch goes to a monitor thread ({@link MonitorQueue}) that
 * decomposes it while the next batch trains, and the training thread stores and publishes the reports
 * that are ready, in iteration order, between batches (the journal has one writer). A checkpoint, a
 * pause, a stop, validation and samples first wait for every report up to their iteration, so a
 * checkpoint never claims a report that is not stored yet.
 *
 * <p>A non-finite loss pauses the run without checkpointing the damaged weights; resuming it
 * restores the last good checkpoint and drops the history after it. A full disk (a checkpoint or a row that
 * could not be written) pauses it the same way, with a message saying where and how much room is needed.
 * A run whose history goes beyond any readable checkpoint is not started over: it fails to deploy with
 * an {@link UnresumableRunException}, or, when that is found on resume, turns {@code unresumable}.
 *
 * <p>Undeploying stops it between two batches: it checkpoints, stores its status and the alert
 * transitions already delivered to it, and writes nothing after that.
 */
public final class TrainingVerticle extends VerticleBase {

    /** The worker pool that runs training; one thread, so batches never overlap. */
    public static final String POOL = "lossprism-training";
    /**
     * Longest one task on the training pool may take before Vert.x logs a blocked thread: loading a large
     * dataset at start, a step at 256 px, a checkpoint.
     */
    static final long MAX_TASK_MINUTES = 5;

    private static final Logger LOG = LoggerFactory.getLogger(TrainingVerticle.class);
    /** Probability above which a probe pixel counts as predicted, as in the decomposition's counts. */
    private static final double SAMPLE_THRESHOLD = 0.5;

    private final AppConfig config;
    private final RunContext run;
    private final Function<AppConfig, Dataset> datasets;
    private Trainer trainer;
    private MonitorQueue<FittedBatch, StepResult> monitor;
    /** The training speed at each batch with the monitor thread, in iteration order, for its report. */
    private final ArrayDeque<Double> speeds = new ArrayDeque<>();

    private Checkpoints checkpoints;
    private CheckpointPolicy checkpointPolicy;
    private final MonitorSchedule schedule;
    private final Throughput throughput = new Throughput();
    private ProbeSampler sampler;
    private ReportMapper mapper;
    private TrainingStatus status;
    private MessageConsumer<String> controls;
    private MessageConsumer<AlertEvent> alerts;
    /** The weights are damaged (non-finite loss): resume must go back to the last checkpoint. */
    private boolean needsRestore;

    private boolean stepQueued;
    /** Set by {@link #stop}: no batch runs after it, and nothing is written once it has completed. */
    private boolean closing;

    public TrainingVerticle(AppConfig config, RunContext run, Function<AppConfig, Dataset> datasets) {
        this.config = config;
        this.run = run;
        this.datasets = datasets;
        this.schedule = new MonitorSchedule(config.monitor());
    }

    /**
     * How a training verticle must be deployed: a worker on its own one-thread pool. The pool's time limit
     * goes here: Vert.x creates a named pool with the limit of the deployment that names it first, and
     * applies the limit of {@code VertxOptions} to its default pool only.
     */
    public static DeploymentOptions deploymentOptions() {
        return new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolName(POOL)
                .setWorkerPoolSize(1)
                .setMaxWorkerExecuteTime(MAX_TASK_MINUTES)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES);
    }

    @Override
    public Future<?> start() {
        status = TrainingStatus.starting(run.runId(), config.training().epochs());
        publish(status);
        long begin = System.nanoTime();
        Dataset data = datasets.apply(config);
        trainer = new Trainer(config, data, true);
        ModelSummaryFile.write(run.dir(), trainer.model());
        mapper = new ReportMapper(run.runId(), config.training().classes(), trainer.objective());
        checkpoints = new Checkpoints(run.dir(), config.checkpoint().keep());
        checkpointPolicy = new CheckpointPolicy(config.checkpoint(), System::currentTimeMillis);
        if (schedule.samplesOn()) {
            sampler = new ProbeSampler(
                    run.runId(),
                    data,
                    ProbeSampler.splitOf(data),
                    config.monitor().probeImages(),
                    config.training().classes(),
                    SAMPLE_THRESHOLD);
        }
        if (run.resume()) {
            restoreLatest();
        } else {
            run.journal().rewind(0);
            vertx.eventBus().publish(Addresses.RUN_EVENT, new RunEvent(run.runId(), 0, "started"));
        }
        LOG.info(
                "run {}: data={} imageSize={} batchSize={} classes={} iterationsPerEpoch={} epochs={} "
                        + "iteration={} setupMs={} model={}",
                run.runId(),
                data.describe(),
                config.training().imageSize(),
                config.training().batchSize(),
                config.training().classes(),
                trainer.iterationsPerEpoch(),
                trainer.epochs(),
                trainer.iteration(),
                (System.nanoTime() - begin) / 1_000_000,
                trainer.model());
        status = status.at(trainer.epoch(), trainer.iteration(), trainer.iterationsPerEpoch(), 0, data.skippedFiles());
        monitor = trainer.monitorQueue("lossprism-monitor-" + run.runId());
        controls = vertx.eventBus().localConsumer(Addresses.TRAINING_CONTROL, this::control);
        alerts = vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> {
            if (m.body().runId().equals(run.runId())) { // other live runs' alerts are not this run's history
                store(m.body());
            }
        });
        if (trainer.finished()) {
            update(State.FINISHED, "");
        } else if (run.startPaused()) {
            update(State.PAUSED, "resumed paused");
        } else {
            update(State.TRAINING, "");
            queueStep();
        }
        return Future.succeededFuture();
    }

    /**
     * Runs between batches (same context): saves progress unless the weights are damaged, then stores the
     * alert transitions already queued on this context (they are about reports the checkpoint covers);
     * after that this verticle writes nothing.
     */
    @Override
    public Future<?> stop() {
        closing = true;
        if (controls != null) {
            controls.unregister();
        }
        if (trainer != null && status.state().active()) {
            checkpoint("shutdown");
            tryRecord(status);
        }
        if (monitor != null) {
            monitor.close();
        }
        Promise<Void> drained = Promise.promise();
        context.runOnContext(v -> {
            if (alerts != null) {
                alerts.unregister();
            }
            drained.complete();
        });
        return drained.future();
    }

    private void control(Message<String> message) {
        String action = message.body();
        switch (action) {
            case "pause" -> {
                if (status.state() == State.TRAINING && settleReports()) {
                    update(State.PAUSED, "paused");
                    checkpoint("pause");
                }
            }
            case "resume" -> {
                if (status.state() == State.PAUSED) {
                    if (needsRestore) {
                        try {
                            restoreLatest();
                        } catch (DiskFullException e) {
                            diskFull(e);
                            message.fail(507, e.getMessage());
                            return;
                        } catch (UnresumableRunException e) {
                            LOG.warn("run {}: {}", run.runId(), e.getMessage());
                            update(State.UNRESUMABLE, e.getMessage());
                            message.fail(409, e.getMessage());
                            return;
                        }
                    }
                    update(State.TRAINING, "");
                    queueStep();
                }
            }
            case "stop" -> {
                if (status.state().active()) {
                    settleReports();
                }
                if (status.state().active()) { // unless the reports settled found a failure
                    checkpoint("stop");
                    update(State.STOPPED, "stopped");
                }
            }
            default -> {
                message.fail(400, "unknown action '" + action + "'; actions: pause, resume, stop");
                return;
            }
        }
        message.reply(status);
    }

    /** The run's alert transitions go into its history between batches, on the thread that writes it. */
    private void store(AlertEvent alert) {
        try {
            run.journal().record(alert);
        } catch (DiskFullException e) {
            if (status.state() == State.TRAINING) {
                diskFull(e);
            } else {
                LOG.error("run {}: alert not stored: {}", run.runId(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("run {}: alert not stored: {}", run.runId(), e.getMessage());
        }
    }

    private void queueStep() {
        if (!stepQueued && !closing) {
            stepQueued = true;
            try {
                context.runOnContext(v -> step());
            } catch (RejectedExecutionException e) {
                // the pool is shutting down: stop() has run or will not run again; nothing to train
                stepQueued = false;
                LOG.debug("run {}: no further batch, the training pool is closed", run.runId());
            }
        }
    }

    private void step() {
        stepQueued = false;
        if (closing || status.state() != State.TRAINING) {
            return;
        }
        try {
            long started = System.nanoTime();
            FittedBatch fitted = trainer.fit();
            long iteration = fitted.iteration();
            boolean scoreFinite = Double.isFinite(fitted.score());
            monitor.submit(fitted);
            speeds.add(throughput.add(config.training().batchSize(), System.nanoTime() - started));
            boolean finished = trainer.finished();
            boolean validationDue = trainer.hasValidation() && schedule.validationDue(iteration, finished);
            boolean samplesDue = schedule.samplesDue(iteration, finished);
            boolean checkpointDue = finished || checkpointPolicy.due(iteration);
            // what follows a batch's report waits for it; otherwise the reports ready are published now
            boolean settle = !scoreFinite || validationDue || samplesDue || checkpointDue;
            if (!publishReports(settle ? monitor.drain() : monitor.poll())) {
                return; // paused: a non-finite loss
            }
            if (validationDue) {
                validate();
            }
            if (samplesDue) {
                sample();
            }
            if (finished) {
                checkpoint("finished");
                LOG.info("run {}: training finished: iterations={}", run.runId(), iteration);
                update(State.FINISHED, "");
                return;
            }
            if (checkpointDue) {
                checkpoint("interval");
            }
            if (status.state() != State.TRAINING) {
                return; // the checkpoint found the disk full
            }
            publish(status);
            queueStep();
        } catch (DiskFullException e) {
            diskFull(e);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        discardReports();
        LOG.error("run {}: training failed at iteration {}", run.runId(), status.iteration() + 1, e);
        update(State.FAILED, String.valueOf(e.getMessage()));
    }

    /**
     * Stores and publishes the reports of fitted batches, in iteration order. False when one has a non-finite
     * loss: the run is paused then, and the reports after it (of damaged weights) are dropped.
     */
    private boolean publishReports(List<StepResult> results) {
        for (StepResult result : results) {
            BatchReport report = mapper.toReport(
                    Split.TRAIN, result, config.training().batchSize(), speeds.remove(), System.currentTimeMillis());
            run.journal().record(report);
            vertx.eventBus().publish(Addresses.BATCH_REPORT, report);
            status = status.at(
                    result.epoch(),
                    result.iteration(),
                    trainer.iterationsPerEpoch(),
                    report.imagesPerSecond(),
                    trainer.data().skippedFiles());
            if (schedule.progressDue(result.iteration(), trainer.iterationsPerEpoch())) {
                LOG.info(ProgressLine.of(
                        report,
                        trainer.epochs(),
                        MonitorSchedule.epochEnd(result.iteration(), trainer.iterationsPerEpoch())));
            }
            if (!Double.isFinite(report.loss()) || !Double.isFinite(result.reportedLoss())) {
                discardReports();
                long good = checkpointPolicy.lastIteration();
                needsRestore = true;
                update(
                        State.PAUSED,
                        "non-finite loss at iteration " + result.iteration()
                                + "; resume continues from the checkpoint at iteration " + good);
                LOG.warn(
                        "run {}: non-finite loss at iteration {}; paused, last good checkpoint at iteration {}",
                        run.runId(),
                        result.iteration(),
                        good);
                return false;
            }
        }
        return true;
    }

    /**
     * Drops the reports the monitor thread still holds: the run stopped on a failure or damaged weights,
     * and resuming rewinds the history to a checkpoint before them.
     */
    private void discardReports() {
        while (monitor != null && monitor.outstanding() > 0) {
            try {
                monitor.drain();
            } catch (MonitorQueue.MonitorFailure e) {
                LOG.debug("run {}: dropped with the reports after a failure: {}", run.runId(), e.getMessage());
            }
        }
        speeds.clear();
    }

    /**
     * Waits for the monitor thread and stores every report it still holds, before a state change or a
     * checkpoint claims them. False when the run cannot go on from here (a non-finite loss, a full disk, a
     * failure): the state says which, and no checkpoint may be taken.
     */
    private boolean settleReports() {
        if (monitor == null || monitor.outstanding() == 0) {
            return !needsRestore;
        }
        try {
            return publishReports(monitor.drain());
        } catch (DiskFullException e) {
            diskFull(e);
        } catch (RuntimeException e) {
            failed(e);
        }
        return false;
    }

    /**
     * A write failed for lack of room: pauses the run, as after a non-finite loss. The store and the
     * checkpoints are consistent (a failed write leaves nothing), and resuming goes back to the newest
     * readable checkpoint, so history and weights agree again whatever had been written after it.
     */
    private void diskFull(DiskFullException e) {
        discardReports();
        needsRestore = true;
        String message = e.getMessage() + "; paused: free space, then resume (it continues from the checkpoint at"
                + " iteration " + checkpointPolicy.lastIteration() + ")";
        LOG.error("run {}: {}", run.runId(), message);
        update(State.PAUSED, message);
    }

    /** Saves the weights unless they are damaged or already saved at this iteration; retention follows. */
    private void checkpoint(String reason) {
        long iteration = trainer.iteration();
        if (!settleReports() || needsRestore || checkpointPolicy.savedAt(iteration)) {
            return;
        }
        long begin = System.nanoTime();
        try {
            checkpoints.save(trainer.network(), iteration);
            checkpointPolicy.saved(iteration);
            run.journal().record(status);
            run.journal().compact(iteration);
            LOG.info(
                    "run {}: checkpoint iteration={} reason={} ms={}",
                    run.runId(),
                    iteration,
                    reason,
                    (System.nanoTime() - begin) / 1_000_000);
        } catch (DiskFullException e) {
            diskFull(e);
        } catch (IOException | RuntimeException e) {
            // training goes on: the previous checkpoint is intact, and the next interval tries again
            LOG.error("run {}: checkpoint at iteration {} failed: {}", run.runId(), iteration, e.getMessage());
        }
    }

    /**
     * Continues from the newest readable checkpoint, dropping any history after it; from the start when
     * none was kept yet. History is never dropped for want of a readable checkpoint: when the history goes
     * beyond iteration 0 and a checkpoint was kept (readable or not) or must have been (the history reaches
     * the checkpoint interval), this throws {@link UnresumableRunException} and changes nothing.
     */
    private void restoreLatest() {
        Checkpoints.Found found = checkpoints.restoreNewest();
        var restored = found.restored();
        if (restored.isEmpty()) {
            long stored = run.journal().lastIteration();
            if (stored > 0
                    && (checkpoints.anyKept() || stored >= config.checkpoint().everyIterations())) {
                throw UnresumableRunException.of(run.dir(), found.unreadable(), stored);
            }
        }
        restored.ifPresent(trainer::restore);
        if (restored.isEmpty() && needsRestore) {
            trainer.restart();
        }
        long iteration = restored.map(Checkpoints.Restored::iteration).orElse(0L);
        needsRestore = false;
        checkpointPolicy.restoredTo(iteration);
        run.journal().rewind(iteration);
        status = status.at(
                trainer.epoch(),
                iteration,
                trainer.iterationsPerEpoch(),
                throughput.imagesPerSecond(),
                trainer.data().skippedFiles());
        LOG.info(
                "run {}: continuing from {}",
                run.runId(),
                restored.map(r -> r.file() + " (iteration " + r.iteration() + ")")
                        .orElse("the start (no checkpoint)"));
        vertx.eventBus().publish(Addresses.RUN_EVENT, new RunEvent(run.runId(), iteration, "resumed"));
    }

    private void sample() {
        long begin = System.nanoTime();
        ProbeSet samples = sampler.sample(trainer.network(), trainer.iteration());
        schedule.sampled();
        vertx.eventBus().publish(Addresses.SAMPLES, samples);
        LOG.debug("samples iteration={} ms={}", trainer.iteration(), (System.nanoTime() - begin) / 1_000_000);
    }

    /** Decomposes the validation split with the current weights and publishes it as split "validation". */
    private void validate() {
        StepResult result = trainer.validate();
        BatchReport report = mapper.toReport(
                Split.VALIDATION,
                result,
                trainer.validationImages(),
                throughput.imagesPerSecond(),
                System.currentTimeMillis());
        run.journal().record(report);
        vertx.eventBus().publish(Addresses.BATCH_REPORT, report);
        LOG.debug(
                "validation iteration={} loss={} ms={}",
                result.iteration(),
                result.decomposition().loss(),
                result.monitorNanos() / 1_000_000);
    }

    private void update(State state, String message) {
        status = status.with(state, message);
        tryRecord(status);
        publish(status);
    }

    /** Stores the status; a failure is logged, not thrown: the state change itself happens anyway. */
    private void tryRecord(TrainingStatus newStatus) {
        try {
            run.journal().record(newStatus);
        } catch (RuntimeException e) {
            LOG.error("run {}: status not stored: {}", run.runId(), e.getMessage());
        }
    }

    private void publish(TrainingStatus newStatus) {
        vertx.eventBus().publish(Addresses.TRAINING_STATUS, newStatus);
    }
}
