package io.lossprism.metrics;

import io.lossprism.alert.rules.Smoothing;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What the gauges of one split read: its latest report, so that a scrape sees one consistent batch, and its
 * smoothed series. Holds reports of one list of classes; a report naming other classes needs a new one.
 * Updated by one thread, read by scrapes on others.
 */
final class SplitSeries {

    private final List<String> classNames;
    private final SmoothedClassSeries smoothed;
    private volatile BatchReport last;

    SplitSeries(List<String> classNames, Smoothing smoothing) {
        this.classNames = List.copyOf(classNames);
        this.smoothed = new SmoothedClassSeries(classNames.size(), smoothing);
    }

    static List<String> classNamesOf(BatchReport report) {
        return report.classes().stream().map(ClassReport::name).toList();
    }

    List<String> classNames() {
        return classNames;
    }

    /** Whether the report has this series' classes, in the same order. */
    boolean holds(BatchReport report) {
        return classNames.equals(classNamesOf(report));
    }

    void add(BatchReport report) {
        if (!holds(report)) {
            throw new IllegalArgumentException("report classes " + classNamesOf(report) + " are not " + classNames);
        }
        smoothed.add(report);
        last = report;
    }

    /** A value of the latest report, NaN before the first. */
    double last(ToDoubleFunction<BatchReport> value) {
        BatchReport report = last;
        return report == null ? Double.NaN : value.applyAsDouble(report);
    }

    /** A value of one class in the latest report, NaN before the first. */
    double lastOfClass(int index, ToDoubleFunction<ClassReport> value) {
        BatchReport report = last;
        return report == null
                ? Double.NaN
                : value.applyAsDouble(report.classes().get(index));
    }

    SmoothedClassSeries.Snapshot smoothed() {
        return smoothed.current();
    }
}
