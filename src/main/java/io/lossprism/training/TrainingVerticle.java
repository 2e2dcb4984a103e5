package io.lossprism.training;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.lossprism.config.AppConfig;
import io.lossprism.data.Split;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Trainer} on a worker thread, one batch per task: after each batch it re-queues
 * itself on its context, so no task blocks for longer than one step and the verticle can be stopped
 * between batches. Publishes a {@link BatchReport} per batch and a {@link TrainingStatus} per change.
 */
public final class TrainingVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingVerticle.class);
    /** Weight of the newest step in the smoothed throughput. */
    private static final double SPEED_SMOOTHING = 0.2;

    private final AppConfig config;
    private Trainer trainer;
    private ReportMapper mapper;
    private TrainingStatus status;
    private double imagesPerSecond;
    private volatile boolean stopping;

    public TrainingVerticle(AppConfig config) {
        this.config = config;
    }

    @Override
    public Future<?> start() {
        publish(TrainingStatus.starting(config.training().epochs()));
        long begin = System.nanoTime();
        trainer = new Trainer(config);
        mapper = new ReportMapper(config.training().classes(), trainer.loss().convention().label());
        status = new TrainingStatus(State.TRAINING, 0, trainer.epochs(), 0, trainer.iterationsPerEpoch(), 0, "");
        LOG.info("training started: imageSize={} batchSize={} classes={} iterationsPerEpoch={} epochs={} setupMs={}",
                config.training().imageSize(), config.training().batchSize(), config.training().classes(),
                trainer.iterationsPerEpoch(), trainer.epochs(), (System.nanoTime() - begin) / 1_000_000);
        publish(status);
        context.runOnContext(v -> step());
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        return Future.succeededFuture();
    }

    private void step() {
        if (stopping) {
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
            vertx.eventBus().publish(Addresses.BATCH_REPORT, report);
            if (validationDue(result.iteration())) {
                validate();
            }
            status = new TrainingStatus(State.TRAINING, trainer.finished() ? trainer.epochs() - 1 : result.epoch(),
                    trainer.epochs(), result.iteration(), trainer.iterationsPerEpoch(), imagesPerSecond, "");
            log(report, result);
            if (trainer.finished()) {
                LOG.info("training finished: iterations={}", result.iteration());
                publish(status.with(State.FINISHED, ""));
                return;
            }
            publish(status);
            context.runOnContext(v -> step());
        } catch (RuntimeException e) {
            LOG.error("training failed at iteration {}", status.iteration() + 1, e);
            publish(status.with(State.FAILED, String.valueOf(e.getMessage())));
        }
    }

    private boolean validationDue(long iteration) {
        int every = config.monitor().validationEveryIterations();
        return trainer.hasValidation() && every > 0 && (iteration % every == 0 || trainer.finished());
    }

    /** Decomposes the validation split with the current weights and publishes it as split "validation". */
    private void validate() {
        StepResult result = trainer.validate();
        vertx.eventBus().publish(Addresses.BATCH_REPORT, mapper.toReport(Split.VALIDATION, result,
                trainer.validationImages(), imagesPerSecond, System.currentTimeMillis()));
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

    private void publish(TrainingStatus newStatus) {
        vertx.eventBus().publish(Addresses.TRAINING_STATUS, newStatus);
    }

    private static String fmt(double value) {
        return String.format("%.4g", value);
    }
}
