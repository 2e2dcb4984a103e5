package io.lossprism.training;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.RunEvent;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.lossprism.config.AppConfig;
import io.lossprism.data.Dataset;
import io.lossprism.data.Split;
import io.lossprism.probes.ProbeSet;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.util.Comparator;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one run's {@link Trainer} on a worker thread, one batch per task: after each batch it re-queues
 * itself on its context, so control messages (pause, resume, stop) and undeployment are handled
 * between batches. Publishes a {@link BatchReport} per batch and a {@link TrainingStatus} per change,
 * writes both to the run's journal, and checkpoints every N iterations or M minutes and at stop.
 *
 * <p>A non-finite loss pauses the run without checkpointing the damaged weights; resuming it
 * restores the last good checkpoint and drops the history after it.
 */
public final class TrainingVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingVerticle.class);
    /** Weight of the newest step in the smoothed throughput. */
    private static final double SPEED_SMOOTHING = 0.2;
    /** Probability above which a probe pixel counts as predicted, as in the decomposition's counts. */
    private static final double SAMPLE_THRESHOLD = 0.5;

    private final AppConfig config;
    private final RunContext run;
    private final Function<AppConfig, Dataset> datasets;
    private Trainer trainer;
    private Checkpoints checkpoints;
    private ProbeSampler sampler;
    private long sampledIteration = -1;
    private ReportMapper mapper;
    private TrainingStatus status;
    private MessageConsumer<String> controls;
    private double imagesPerSecond;
    private long checkpointIteration;
    private long checkpointMillis;
    /** The weights are damaged (non-finite loss): resume must go back to the last checkpoint. */
    private boolean needsRestore;
    private boolean stepQueued;

    public TrainingVerticle(AppConfig config, RunContext run, Function<AppConfig, Dataset> datasets) {
        this.config = config;
        this.run = run;
        this.datasets = datasets;
    }

    @Override
    public Future<?> start() {
        status = TrainingStatus.starting(run.runId(), config.training().epochs());
        publish(status);
        long begin = System.nanoTime();
        Dataset data = datasets.apply(config);
        trainer = new Trainer(config, data, true);
        mapper = new ReportMapper(config.training().classes(), trainer.objective());
        checkpoints = new Checkpoints(run.dir(), config.checkpoint().keep());
        if (config.monitor().samplesEveryIterations() > 0) {
            sampler = new ProbeSampler(data, ProbeSampler.splitOf(data), config.monitor().probeImages(),
                    config.training().classes(), SAMPLE_THRESHOLD);
        }
        if (run.resume()) {
            restoreLatest();
        } else {
            run.journal().rewind(0);
            vertx.eventBus().publish(Addresses.RUN_EVENT, new RunEvent(run.runId(), 0, "started"));
        }
        checkpointMillis = System.currentTimeMillis();
        LOG.info("run {}: data={} imageSize={} batchSize={} classes={} iterationsPerEpoch={} epochs={} "
                        + "iteration={} setupMs={}", run.runId(), data.describe(), config.training().imageSize(),
                config.training().batchSize(), config.training().classes(), trainer.iterationsPerEpoch(),
                trainer.epochs(), trainer.iteration(), (System.nanoTime() - begin) / 1_000_000);
        status = status.at(trainer.epoch(), trainer.iteration(), trainer.iterationsPerEpoch(), 0, data.skippedFiles());
        controls = vertx.eventBus().localConsumer(Addresses.TRAINING_CONTROL, this::control);
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
            double seconds = (System.nanoTime() - started) / 1e9;
            double speed = config.training().batchSize() / seconds;
            imagesPerSecond = imagesPerSecond == 0 ? speed
                    : SPEED_SMOOTHING * speed + (1 - SPEED_SMOOTHING) * imagesPerSecond;
            BatchReport report = mapper.toReport(Split.TRAIN, result, config.training().batchSize(),
                    imagesPerSecond, System.currentTimeMillis());
            run.journal().record(report);
            vertx.eventBus().publish(Addresses.BATCH_REPORT, report);
            status = status.at(trainer.finished() ? trainer.epochs() - 1 : result.epoch(), result.iteration(),
                    trainer.iterationsPerEpoch(), imagesPerSecond, trainer.data().skippedFiles());
            log(report, result);
            if (!Double.isFinite(report.loss()) || !Double.isFinite(result.reportedLoss())) {
                needsRestore = true;
                update(State.PAUSED, "non-finite loss at iteration " + result.iteration()
                        + "; resume continues from the checkpoint at iteration " + checkpointIteration);
                LOG.warn("run {}: non-finite loss at iteration {}; paused, last good checkpoint at iteration {}",
                        run.runId(), result.iteration(), checkpointIteration);
                return;
            }
            if (validationDue(result.iteration())) {
                validate();
            }
            if (samplesDue(result.iteration())) {
                sample();
            }
            if (trainer.finished()) {
                checkpoint("finished");
                LOG.info("run {}: training finished: iterations={}", run.runId(), result.iteration());
                update(State.FINISHED, "");
                return;
            }
            if (checkpointDue(result.iteration())) {
                checkpoint("interval");
            }
            publish(status);
            queueStep();
        } catch (RuntimeException e) {
            LOG.error("run {}: training failed at iteration {}", run.runId(), status.iteration() + 1, e);
            update(State.FAILED, String.valueOf(e.getMessage()));
        }
    }

    private boolean checkpointDue(long iteration) {
        return iteration - checkpointIteration >= config.checkpoint().everyIterations()
                || System.currentTimeMillis() - checkpointMillis >= config.checkpoint().everyMillis();
    }

    /** Saves the weights unless they are damaged or already saved at this iteration; retention follows. */
    private void checkpoint(String reason) {
        long iteration = trainer.iteration();
        if (needsRestore || iteration == checkpointIteration) {
            return;
        }
        long begin = System.nanoTime();
        try {
            checkpoints.save(trainer.network(), iteration);
            checkpointIteration = iteration;
            checkpointMillis = System.currentTimeMillis();
            run.journal().record(status);
            run.journal().compact(iteration);
            LOG.info("run {}: checkpoint iteration={} reason={} ms={}", run.runId(), iteration, reason,
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
        checkpointIteration = iteration;
        run.journal().rewind(iteration);
        status = status.at(trainer.epoch(), iteration, trainer.iterationsPerEpoch(), imagesPerSecond,
                trainer.data().skippedFiles());
        LOG.info("run {}: continuing from {}", run.runId(),
                restored.map(r -> r.file() + " (iteration " + r.iteration() + ")").orElse("the start (no checkpoint)"));
        vertx.eventBus().publish(Addresses.RUN_EVENT, new RunEvent(run.runId(), iteration, "resumed"));
    }

    /** Every K iterations, and once right after (re)starting so a new page has pictures early. */
    private boolean samplesDue(long iteration) {
        int every = config.monitor().samplesEveryIterations();
        return sampler != null && (iteration % every == 0 || sampledIteration < 0 || trainer.finished());
    }

    private void sample() {
        long begin = System.nanoTime();
        ProbeSet samples = sampler.sample(trainer.network(), trainer.iteration());
        sampledIteration = trainer.iteration();
        vertx.eventBus().publish(Addresses.SAMPLES, samples);
        LOG.debug("samples iteration={} ms={}", sampledIteration, (System.nanoTime() - begin) / 1_000_000);
    }

    private boolean validationDue(long iteration) {
        int every = config.monitor().validationEveryIterations();
        return trainer.hasValidation() && every > 0 && (iteration % every == 0 || trainer.finished());
    }

    /** Decomposes the validation split with the current weights and publishes it as split "validation". */
    private void validate() {
        StepResult result = trainer.validate();
        BatchReport report = mapper.toReport(Split.VALIDATION, result, trainer.validationImages(), imagesPerSecond,
                System.currentTimeMillis());
        run.journal().record(report);
        vertx.eventBus().publish(Addresses.BATCH_REPORT, report);
        LOG.debug("validation iteration={} loss={} ms={}", result.iteration(), result.decomposition().loss(),
                result.monitorNanos() / 1_000_000);
    }

    private void log(BatchReport report, StepResult result) {
        boolean epochEnd = result.iteration() % trainer.iterationsPerEpoch() == 0;
        if (result.iteration() % config.monitor().logEveryIterations() != 0 && !epochEnd) {
            return;
        }
        var worst = report.classes().stream()
                .filter(c -> !Double.isNaN(c.iou()))
                .min(Comparator.comparingDouble(c -> c.iou()));
        LOG.info("{} epoch={}/{} iteration={} loss={} perElement={} residual={} worstIou={} imagesPerSecond={}",
                epochEnd ? "epoch done" : "progress", result.epoch() + 1, trainer.epochs(), result.iteration(),
                fmt(report.loss()), fmt(report.meanElementLoss()), String.format("%.2e", report.residual()),
                worst.map(c -> c.name() + ":" + fmt(c.iou())).orElse("n/a"), String.format("%.1f", imagesPerSecond));
    }

    private void update(State state, String message) {
        status = status.with(state, message);
        run.journal().record(status);
        publish(status);
    }

    private void publish(TrainingStatus newStatus) {
        vertx.eventBus().publish(Addresses.TRAINING_STATUS, newStatus);
    }

    private static String fmt(double value) {
        return String.format("%.4g", value);
    }
}
