package io.lossprism.metrics;

import io.lossprism.alert.rules.Smoothing;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.bus.TrainingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The LossPrism meters, fed from the event bus. Gauges read the last report of each split, so a
 * scrape always sees one consistent batch: {@code sum by (split) (lossprism_class_loss)} equals
 * {@code lossprism_loss}. Labels are bounded: class names from config and the two splits.
 *
 * <ul>
 *   <li>{@code lossprism_loss{split}}: aggregate loss of the last batch, the sum of the class terms</li>
 *   <li>{@code lossprism_reported_loss{split}}: the framework's own score of that batch</li>
 *   <li>{@code lossprism_class_loss{class,split}}: the class's term of the loss</li>
 *   <li>{@code lossprism_class_positive_loss{class,split}}: the part of that term from positive pixels</li>
 *   <li>{@code lossprism_class_iou_ratio{class,split}}, {@code lossprism_class_dice_ratio},
 *       {@code lossprism_class_prevalence_ratio}: NaN while undefined</li>
 *   <li>{@code lossprism_train_iterations_total}, {@code lossprism_train_epoch},
 *       {@code lossprism_train_images_per_second}</li>
 * </ul>
 */
public final class LossMetrics implements MeterBinder {

    private final List<String> classes;
    private final Map<String, AtomicReference<BatchReport>> lastBySplit = new ConcurrentHashMap<>();
    private final Map<String, SmoothedClassSeries> smoothedBySplit = new ConcurrentHashMap<>();
    private final Smoothing smoothing;
    private final AtomicReference<TrainingStatus> status = new AtomicReference<>();
    private MeterRegistry registry;
    private Counter iterations;

    /** @param smoothing the alert rules' smoothing, which the exported smoothed series follow */
    public LossMetrics(List<String> classes, Smoothing smoothing) {
        this.classes = List.copyOf(classes);
        this.smoothing = smoothing;
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        iterations = Counter.builder("lossprism.train.iterations")
                .description("Training iterations (batches) completed").register(registry);
        Gauge.builder("lossprism.train.epoch", status, s -> s.get() == null ? Double.NaN : s.get().epoch())
                .description("Current 0-based training epoch").register(registry);
        Gauge.builder("lossprism.train.running", status,
                        s -> s.get() != null && s.get().state() == TrainingStatus.State.TRAINING ? 1 : 0)
                .description("1 while training runs, 0 before it starts and after it ends").register(registry);
        Gauge.builder("lossprism.train.images.per.second", status,
                        s -> s.get() == null ? Double.NaN : s.get().imagesPerSecond())
                .description("Smoothed training throughput, monitoring included").register(registry);
        Gauge.builder("lossprism.data.skipped.files", status, s -> s.get() == null ? 0 : s.get().skippedFiles())
                .description("Dataset files left out as unreadable or inconsistent (data.onBadFile: skip)")
                .register(registry);
        Gauge.builder("lossprism.train.paused", status,
                        s -> s.get() != null && s.get().state() == TrainingStatus.State.PAUSED ? 1 : 0)
                .description("1 while the run is paused (by a user, or by a non-finite loss)").register(registry);
    }

    public void onStatus(TrainingStatus newStatus) {
        status.set(newStatus);
    }

    public void onBatch(BatchReport report) {
        if (registry == null) {
            throw new IllegalStateException("bind LossMetrics to a registry first");
        }
        lastBySplit.computeIfAbsent(report.split(), this::registerSplit).set(report);
        smoothedBySplit.get(report.split()).add(report);
        if ("train".equals(report.split())) {
            iterations.increment();
        }
    }

    private AtomicReference<BatchReport> registerSplit(String split) {
        AtomicReference<BatchReport> last = new AtomicReference<>();
        Gauge.builder("lossprism.loss", last, r -> value(r, BatchReport::loss))
                .description("Aggregate loss of the last batch; the sum over class of lossprism_class_loss")
                .tag("split", split).register(registry);
        Gauge.builder("lossprism.reported.loss", last, r -> value(r, BatchReport::reportedLoss))
                .description("The framework's own score of the last batch (float32)")
                .tag("split", split).register(registry);
        SmoothedClassSeries smoothed = new SmoothedClassSeries(classes.size(), smoothing);
        smoothedBySplit.put(split, smoothed);
        Gauge.builder("lossprism.mean.positive.loss.smoothed", smoothed, s -> s.current().aggregateMeanPositiveLoss())
                .description("Smoothed mean cross-entropy over all classes' positive pixels")
                .tag("split", split).register(registry);
        for (int c = 0; c < classes.size(); c++) {
            int index = c;
            smoothedGauge("lossprism.class.iou.smoothed", "Smoothed IoU, undefined batches skipped", "ratio",
                    split, index, smoothed, s -> s.iou()[index]);
            smoothedGauge("lossprism.class.mean.positive.loss.smoothed",
                    "Smoothed mean cross-entropy over the class's positive pixels", null, split, index, smoothed,
                    s -> s.meanPositiveLoss()[index]);
            smoothedGauge("lossprism.class.error.share.smoothed", "Smoothed share of all FP + FN pixels",
                    "ratio", split, index, smoothed, s -> s.errorShare()[index]);
            smoothedGauge("lossprism.class.loss.share.smoothed", "Smoothed share of the loss", "ratio",
                    split, index, smoothed, s -> s.lossShare()[index]);
            classGauge("lossprism.class.loss", "The class's term of lossprism_loss", null,
                    split, index, last, ClassReport::loss);
            classGauge("lossprism.class.positive.loss", "Part of the class's term from its positive pixels",
                    null, split, index, last, ClassReport::positiveLoss);
            classGauge("lossprism.class.iou", "IoU of the class at threshold 0.5 (NaN when undefined)",
                    "ratio", split, index, last, ClassReport::iou);
            classGauge("lossprism.class.dice", "Dice of the class at threshold 0.5 (NaN when undefined)",
                    "ratio", split, index, last, ClassReport::dice);
            classGauge("lossprism.class.prevalence", "Share of the class's pixels that are positive",
                    "ratio", split, index, last, ClassReport::prevalence);
        }
        return last;
    }

    private void classGauge(String name, String description, String unit, String split, int index,
                            AtomicReference<BatchReport> last, java.util.function.ToDoubleFunction<ClassReport> f) {
        Gauge.builder(name, last, r -> r.get() == null ? Double.NaN : f.applyAsDouble(r.get().classes().get(index)))
                .description(description).baseUnit(unit)
                .tags("class", classes.get(index), "split", split).register(registry);
    }

    private void smoothedGauge(String name, String description, String unit, String split, int index,
                               SmoothedClassSeries series,
                               java.util.function.ToDoubleFunction<SmoothedClassSeries.Snapshot> f) {
        Gauge.builder(name, series, s -> f.applyAsDouble(s.current()))
                .description(description).baseUnit(unit)
                .tags("class", classes.get(index), "split", split).register(registry);
    }

    private static double value(AtomicReference<BatchReport> ref,
                                java.util.function.ToDoubleFunction<BatchReport> f) {
        BatchReport report = ref.get();
        return report == null ? Double.NaN : f.applyAsDouble(report);
    }
}
