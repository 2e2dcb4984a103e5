package io.lossprism.metrics;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The gauges that read the reports, each a {@link MultiGauge}: one row per run and split, or per run, class and
 * split. Rows are those of the runs, splits and classes reported so far: {@link #show} replaces them, so a class no longer
 * reported loses its row instead of keeping a stale value.
 */
final class ReportGauges {

    /** A value of one class of a split. */
    private interface ClassValue {
        double of(SplitSeries series, int classIndex);
    }

    private record SplitFamily(MultiGauge gauge, ToDoubleFunction<SplitSeries> value) {}

    private record ClassFamily(MultiGauge gauge, ClassValue value) {}

    private final MeterRegistry registry;
    private final List<SplitFamily> splitFamilies = new ArrayList<>();
    private final List<ClassFamily> classFamilies = new ArrayList<>();

    ReportGauges(MeterRegistry registry) {
        this.registry = registry;
        split(
                "lossprism.loss",
                "Aggregate loss of the last batch; the sum over class of lossprism_class_loss",
                s -> s.last(BatchReport::loss));
        split(
                "lossprism.reported.loss",
                "The framework's own score of the last batch (float32)",
                s -> s.last(BatchReport::reportedLoss));
        split(
                "lossprism.mean.positive.loss.smoothed",
                "Smoothed mean cross-entropy over all classes' positive pixels",
                s -> s.smoothed().aggregateMeanPositiveLoss());

        smoothed(
                "lossprism.class.iou.smoothed",
                "Smoothed IoU, undefined batches skipped",
                "ratio",
                (s, i) -> s.smoothed().iou()[i]);
        smoothed(
                "lossprism.class.mean.positive.loss.smoothed",
                "Smoothed mean cross-entropy over the class's positive pixels",
                null,
                (s, i) -> s.smoothed().meanPositiveLoss()[i]);
        smoothed(
                "lossprism.class.error.share.smoothed",
                "Smoothed share of all FP + FN pixels",
                "ratio",
                (s, i) -> s.smoothed().errorShare()[i]);
        smoothed(
                "lossprism.class.loss.share.smoothed",
                "Smoothed share of the loss",
                "ratio",
                (s, i) -> s.smoothed().lossShare()[i]);
        latest("lossprism.class.loss", "The class's term of lossprism_loss", null, ClassReport::loss);
        latest(
                "lossprism.class.positive.loss",
                "Part of the class's term from its positive pixels",
                null,
                ClassReport::positiveLoss);
        latest(
                "lossprism.class.iou",
                "IoU of the class at threshold 0.5 (NaN when undefined)",
                "ratio",
                ClassReport::iou);
        latest(
                "lossprism.class.dice",
                "Dice of the class at threshold 0.5 (NaN when undefined)",
                "ratio",
                ClassReport::dice);
        latest(
                "lossprism.class.prevalence",
                "Share of the class's pixels that are positive",
                "ratio",
                ClassReport::prevalence);
    }

    /**
     * Makes the rows those of {@code runs}, one per run and split and one per class of each, adding and
     * removing rows only: a row that stays is not re-registered, so no scrape misses it. Rows look their
     * values up in the live map by run, split and class name, so they read a split's current series.
     *
     * @param runs by run, then by split
     */
    void show(Map<String, Map<String, SplitSeries>> runs) {
        for (SplitFamily family : splitFamilies) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            runs.forEach((run, splits) -> {
                for (String split : splits.keySet()) {
                    rows.add(MultiGauge.Row.of(
                            Tags.of("run", run, "split", split),
                            runs,
                            m -> splitValue(series(m, run, split), family.value())));
                }
            });
            family.gauge().register(rows, false);
        }
        for (ClassFamily family : classFamilies) {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            runs.forEach((run, splits) -> splits.forEach((split, series) -> {
                for (String name : series.classNames()) {
                    rows.add(MultiGauge.Row.of(
                            Tags.of("class", name, "run", run, "split", split),
                            runs,
                            m -> classValue(series(m, run, split), name, family.value())));
                }
            }));
            family.gauge().register(rows, false);
        }
    }

    private static SplitSeries series(Map<String, Map<String, SplitSeries>> runs, String run, String split) {
        Map<String, SplitSeries> splits = runs.get(run);
        return splits == null ? null : splits.get(split);
    }

    private static double splitValue(SplitSeries series, ToDoubleFunction<SplitSeries> value) {
        return series == null ? Double.NaN : value.applyAsDouble(series);
    }

    private static double classValue(SplitSeries series, String className, ClassValue value) {
        int index = series == null ? -1 : series.classNames().indexOf(className);
        return index < 0 ? Double.NaN : value.of(series, index);
    }

    private void split(String name, String description, ToDoubleFunction<SplitSeries> value) {
        splitFamilies.add(new SplitFamily(
                MultiGauge.builder(name).description(description).register(registry), value));
    }

    private void smoothed(String name, String description, String unit, ClassValue value) {
        classFamilies.add(new ClassFamily(gauge(name, description, unit), value));
    }

    private void latest(String name, String description, String unit, ToDoubleFunction<ClassReport> value) {
        classFamilies.add(new ClassFamily(gauge(name, description, unit), (s, i) -> s.lastOfClass(i, value)));
    }

    private MultiGauge gauge(String name, String description, String unit) {
        return MultiGauge.builder(name).description(description).baseUnit(unit).register(registry);
    }
}
