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
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
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
 * <p>A non-finite loss pauses the run without checkpointing the damaged weights; resuming it
 * restores the last good checkpoint and drops the history after it.
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

    /** Runs between batches (same context): saves progress unless the weights are damaged. */
    @Override
    public Future<?> stop() {
        if (controls != null) {
            controls.unregister();
            alerts.unregister();
        }
        if (trainer != null && status.state().active()) {
            checkpoint("shutdown");
            run.journal().record(status);
        }
        return Future.succeededFuture();
    }

    private void control(Message<String> message) {
        String action = message.body();
        switch (action) {
            case "pause" -> {
                if (status.state() == State.TRAINING) {
                    update(State.PAUSED, "paused");
                    checkpoint("pause");
                }
            }
            case "resume" -> {
                if (status.state() == State.PAUSED) {
                    if (needsRestore) {
                        restoreLatest();
                    }
                    update(State.TRAINING, "");
                    queueStep();
                }
            }
            case "stop" -> {
                if (status.state().active()) {
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
        } catch (RuntimeException e) {
            LOG.error("run {}: alert not stored: {}", run.runId(), e.getMessage());
        }
    }

    private void queueStep() {
        if (!stepQueued) {
            stepQueued = true;
            context.runOnContext(v -> step());
        }
    }

    private void step() {
        stepQueued = false;
        if (status.state() != State.TRAINING) {
            return;
        }
        try {
            long started = System.nanoTime();
            StepResult result = trainer.step();
            double imagesPerSecond = throughput.add(config.training().batchSize(), System.nanoTime() - started);
            BatchReport report = mapper.toReport(
                    Split.TRAIN, result, config.training().batchSize(), imagesPerSecond, System.currentTimeMillis());
            run.journal().record(report);
            vertx.eventBus().publish(Addresses.BATCH_REPORT, report);
            status = status.at(
                    trainer.finished() ? trainer.epochs() - 1 : result.epoch(),
                    result.iteration(),
                    trainer.iterationsPerEpoch(),
                    imagesPerSecond,
                    trainer.data().skippedFiles());
            if (schedule.progressDue(result.iteration(), trainer.iterationsPerEpoch())) {
                LOG.info(ProgressLine.of(
                        report,
                        trainer.epochs(),
                        MonitorSchedule.epochEnd(result.iteration(), trainer.iterationsPerEpoch())));
            }
            if (!Double.isFinite(report.loss()) || !Double.isFinite(result.reportedLoss())) {
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
                return;
            }
            if (trainer.hasValidation() && schedule.validationDue(result.iteration(), trainer.finished())) {
                validate();
            }
            if (schedule.samplesDue(result.iteration(), trainer.finished())) {
                sample();
            }
            if (trainer.finished()) {
                checkpoint("finished");
                LOG.info("run {}: training finished: iterations={}", run.runId(), result.iteration());
                update(State.FINISHED, "");
                return;
            }
            if (checkpointPolicy.due(result.iteration())) {
                checkpoint("interval");
            }
            publish(status);
            queueStep();
        } catch (RuntimeException e) {
            LOG.error("run {}: training failed at iteration {}", run.runId(), status.iteration() + 1, e);
            update(State.FAILED, String.valueOf(e.getMessage()));
        }
    }

    /** Saves the weights unless they are damaged or already saved at this iteration; retention follows. */
    private void checkpoint(String reason) {
        long iteration = trainer.iteration();
        if (needsRestore || checkpointPolicy.savedAt(iteration)) {
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
        } catch (IOException | RuntimeException e) {
            // training goes on: the previous checkpoint is intact, and the next interval tries again
            LOG.error("run {}: checkpoint at iteration {} failed: {}", run.runId(), iteration, e.getMessage());
        }
    }

    /** Continues from the newest readable checkpoint (or the start), dropping any history after it. */
    private void restoreLatest() {
        var restored = checkpoints.latest();
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
        run.journal().record(status);
        publish(status);
    }

    private void publish(TrainingStatus newStatus) {
        vertx.eventBus().publish(Addresses.TRAINING_STATUS, newStatus);
    }
}
