package io.lossprism.metrics;

import io.lossprism.alert.rules.Smoothing;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.TrainingStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The LossPrism meters, fed from the event bus, one set of series per run (label {@code run}). Gauges read
 * the last report of each run and split, so a scrape always sees one consistent batch:
 * {@code sum by (run, split) (lossprism_class_loss)} equals {@code lossprism_loss}. Labels are bounded: the
 * runs kept (live ones, and finished ones until {@link #removeRun}), the classes of their reports and the two
 * splits.
 *
 * <ul>
 *   <li>{@code lossprism_loss{run,split}}: aggregate loss of the last batch, the sum of the class terms</li>
 *   <li>{@code lossprism_reported_loss{run,split}}: the framework's own score of that batch</li>
 *   <li>{@code lossprism_class_loss{run,class,split}}: the class's term of the loss</li>
 *   <li>{@code lossprism_class_positive_loss{run,class,split}}: the part of that term from positive pixels</li>
 *   <li>{@code lossprism_class_iou_ratio{run,class,split}}, {@code lossprism_class_dice_ratio},
 *       {@code lossprism_class_prevalence_ratio}: NaN while undefined</li>
 *   <li>{@code lossprism_class_*_smoothed*{run,class,split}},
 *       {@code lossprism_mean_positive_loss_smoothed{run,split}}: the smoothed inputs of the alert rules (see
 *       {@link SmoothedClassSeries})</li>
 *   <li>per run, from its status: {@code lossprism_train_iterations_total{run}}, {@code lossprism_train_epoch},
 *       {@code lossprism_train_images_per_second}, {@code lossprism_train_running},
 *       {@code lossprism_train_paused}, {@code lossprism_data_skipped_files}</li>
 * </ul>
 *
 * A run's split series appear with its first report of that split; per-class rows follow the classes its
 * reports name; its status series appear with its first status.
 */
public final class LossMetrics implements MeterBinder {

    private final Smoothing smoothing;
    /** By run, then by split. */
    private final Map<String, Map<String, SplitSeries>> splits = new ConcurrentHashMap<>();
    /** The status meters and iteration counter of each run, for removal. */
    private final Map<String, RunMeters> runs = new ConcurrentHashMap<>();

    private MeterRegistry registry;
    private ReportGauges gauges;

    /** A run's latest status and the meters that read it. */
    private static final class RunMeters {
        final AtomicReference<TrainingStatus> status = new AtomicReference<>();
        final List<Meter> meters = new ArrayList<>();
        Counter iterations;
    }

    /** @param smoothing the alert rules' smoothing, which the exported smoothed series follow */
    public LossMetrics(Smoothing smoothing) {
        this.smoothing = smoothing;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        gauges = new ReportGauges(registry);
    }

    /** Called on one thread at a time (the event bus consumer's), as are {@link #onBatch} and {@link #removeRun}. */
    public void onStatus(TrainingStatus newStatus) {
        run(newStatus.runId()).status.set(newStatus);
    }

    public void onBatch(BatchReport report) {
        if (gauges == null) {
            throw new IllegalStateException("bind LossMetrics to a registry first");
        }
        Map<String, SplitSeries> run = splits.computeIfAbsent(report.runId(), id -> new ConcurrentHashMap<>());
        SplitSeries series = run.get(report.split());
        if (series != null && series.holds(report)) {
            series.add(report);
        } else {
            // A new split, or other classes: fresh series (the old smoothing described other classes), new rows.
            series = new SplitSeries(SplitSeries.classNamesOf(report), smoothing);
            series.add(report);
            run.put(report.split(), series);
            gauges.show(splits);
        }
        if ("train".equals(report.split())) {
            RunMeters meters = run(report.runId());
            if (meters.iterations == null) {
                meters.iterations = Counter.builder("lossprism.train.iterations")
                        .description("Training iterations (batches) completed")
                        .tag("run", report.runId())
                        .register(registry);
                meters.meters.add(meters.iterations);
            }
            meters.iterations.increment();
        }
    }

    /** Removes every series of a run: it ended and its grace period is over. */
    public void removeRun(String runId) {
        if (splits.remove(runId) != null) {
            gauges.show(splits);
        }
        RunMeters meters = runs.remove(runId);
        if (meters != null) {
            meters.meters.forEach(registry::remove);
        }
    }

    /** The runs that have series now. */
    public Set<String> runs() {
        Set<String> ids = new TreeSet<>(splits.keySet());
        ids.addAll(runs.keySet());
        return ids;
    }

    /** A run's status meters, registered with its first status or report. */
    private RunMeters run(String runId) {
        if (registry == null) {
            throw new IllegalStateException("bind LossMetrics to a registry first");
        }
        return runs.computeIfAbsent(runId, id -> {
            RunMeters m = new RunMeters();
            AtomicReference<TrainingStatus> status = m.status;
            m.meters.add(Gauge.builder(
                            "lossprism.train.epoch",
                            status,
                            s -> s.get() == null ? Double.NaN : s.get().epoch())
                    .description("Current 0-based training epoch")
                    .tag("run", id)
                    .register(registry));
            m.meters.add(Gauge.builder(
                            "lossprism.train.running",
                            status,
                            s -> s.get() != null && s.get().state() == TrainingStatus.State.TRAINING ? 1 : 0)
                    .description("1 while training runs, 0 before it starts and after it ends")
                    .tag("run", id)
                    .register(registry));
            m.meters.add(Gauge.builder(
                            "lossprism.train.images.per.second",
                            status,
                            s -> s.get() == null ? Double.NaN : s.get().imagesPerSecond())
                    .description("Smoothed training throughput, monitoring included")
                    .tag("run", id)
                    .register(registry));
            m.meters.add(Gauge.builder(
                            "lossprism.data.skipped.files",
                            status,
                            s -> s.get() == null ? 0 : s.get().skippedFiles())
                    .description("Dataset files left out as unreadable or inconsistent (data.onBadFile: skip)")
                    .tag("run", id)
                    .register(registry));
            m.meters.add(Gauge.builder(
                            "lossprism.train.paused",
                            status,
                            s -> s.get() != null && s.get().state() == TrainingStatus.State.PAUSED ? 1 : 0)
                    .description("1 while the run is paused (by a user, or by a non-finite loss)")
                    .tag("run", id)
                    .register(registry));
            return m;
        });
    }
}
