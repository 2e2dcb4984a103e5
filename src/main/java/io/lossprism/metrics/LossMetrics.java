package io.lossprism.metrics;

import io.lossprism.alert.rules.Smoothing;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.TrainingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The LossPrism meters, fed from the event bus. Gauges read the last report of each split, so a
 * scrape always sees one consistent batch: {@code sum by (split) (lossprism_class_loss)} equals
 * {@code lossprism_loss}. Labels are bounded: the classes of the reports and the two splits.
 *
 * <ul>
 *   <li>{@code lossprism_loss{split}}: aggregate loss of the last batch, the sum of the class terms</li>
 *   <li>{@code lossprism_reported_loss{split}}: the framework's own score of that batch</li>
 *   <li>{@code lossprism_class_loss{class,split}}: the class's term of the loss</li>
 *   <li>{@code lossprism_class_positive_loss{class,split}}: the part of that term from positive pixels</li>
 *   <li>{@code lossprism_class_iou_ratio{class,split}}, {@code lossprism_class_dice_ratio},
 *       {@code lossprism_class_prevalence_ratio}: NaN while undefined</li>
 *   <li>{@code lossprism_class_*_smoothed*{class,split}}, {@code lossprism_mean_positive_loss_smoothed{split}}:
 *       the smoothed inputs of the alert rules (see {@link SmoothedClassSeries})</li>
 *   <li>{@code lossprism_train_iterations_total}, {@code lossprism_train_epoch},
 *       {@code lossprism_train_images_per_second}, {@code lossprism_train_running},
 *       {@code lossprism_train_paused}, {@code lossprism_data_skipped_files}</li>
 * </ul>
 *
 * A split's series appear with its first report; per-class rows follow the classes its reports name.
 */
public final class LossMetrics implements MeterBinder {

    private final Smoothing smoothing;
    private final Map<String, SplitSeries> splits = new ConcurrentHashMap<>();
    private final AtomicReference<TrainingStatus> status = new AtomicReference<>();
    private ReportGauges gauges;
    private Counter iterations;

    /** @param smoothing the alert rules' smoothing, which the exported smoothed series follow */
    public LossMetrics(Smoothing smoothing) {
        this.smoothing = smoothing;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauges = new ReportGauges(registry);
        iterations = Counter.builder("lossprism.train.iterations")
                .description("Training iterations (batches) completed")
                .register(registry);
        Gauge.builder(
                        "lossprism.train.epoch",
                        status,
                        s -> s.get() == null ? Double.NaN : s.get().epoch())
                .description("Current 0-based training epoch")
                .register(registry);
        Gauge.builder(
                        "lossprism.train.running",
                        status,
                        s -> s.get() != null && s.get().state() == TrainingStatus.State.TRAINING ? 1 : 0)
                .description("1 while training runs, 0 before it starts and after it ends")
                .register(registry);
        Gauge.builder(
                        "lossprism.train.images.per.second",
                        status,
                        s -> s.get() == null ? Double.NaN : s.get().imagesPerSecond())
                .description("Smoothed training throughput, monitoring included")
                .register(registry);
        Gauge.builder(
                        "lossprism.data.skipped.files",
                        status,
                        s -> s.get() == null ? 0 : s.get().skippedFiles())
                .description("Dataset files left out as unreadable or inconsistent (data.onBadFile: skip)")
                .register(registry);
        Gauge.builder(
                        "lossprism.train.paused",
                        status,
                        s -> s.get() != null && s.get().state() == TrainingStatus.State.PAUSED ? 1 : 0)
                .description("1 while the run is paused (by a user, or by a non-finite loss)")
                .register(registry);
    }

    public void onStatus(TrainingStatus newStatus) {
        status.set(newStatus);
    }

    /** Called on one thread at a time (the event bus consumer's). */
    public void onBatch(BatchReport report) {
        if (gauges == null) {
            throw new IllegalStateException("bind LossMetrics to a registry first");
        }
        SplitSeries series = splits.get(report.split());
        if (series != null && series.holds(report)) {
            series.add(report);
        } else {
            // A new split, or other classes: fresh series (the old smoothing described other classes), new rows.
            series = new SplitSeries(SplitSeries.classNamesOf(report), smoothing);
            series.add(report);
            splits.put(report.split(), series);
            gauges.show(splits);
        }
        if ("train".equals(report.split())) {
            iterations.increment();
        }
    }
}
