package io.lossprism.metrics;

import io.lossprism.alert.rules.EmaSmoother;
import io.lossprism.alert.rules.Smoothing;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import java.util.List;

/**
 * Exponentially smoothed per-class series of one split, the inputs of the Prometheus alert rules:
 * IoU, mean positive-pixel loss, share of the errors and share of the loss, plus the aggregate mean
 * positive-pixel loss. Undefined values are skipped, as the in-app rules do, so a rare class absent
 * from most batches keeps its last smoothed value instead of turning NaN. Updated by one thread; the
 * values are published as an immutable snapshot for scrapes on other threads.
 *
 * <p>Always an EMA with the rules' {@link Smoothing#emaAlpha()}, also when the in-app rules average a
 * window: the exported series are documented as EMA-smoothed, and the Prometheus rules are written for that.
 */
final class SmoothedClassSeries {

    /** The per-class values in a snapshot, in class order. */
    record Snapshot(
            double[] iou,
            double[] meanPositiveLoss,
            double[] errorShare,
            double[] lossShare,
            double aggregateMeanPositiveLoss) {}

    private final EmaSmoother[] iou;
    private final EmaSmoother[] meanPositiveLoss;
    private final EmaSmoother[] errorShare;
    private final EmaSmoother[] lossShare;
    private final EmaSmoother aggregate;
    private volatile Snapshot snapshot;

    SmoothedClassSeries(int classes, Smoothing smoothing) {
        double alpha = smoothing.emaAlpha();
        iou = smoothers(classes, alpha);
        meanPositiveLoss = smoothers(classes, alpha);
        errorShare = smoothers(classes, alpha);
        lossShare = smoothers(classes, alpha);
        aggregate = new EmaSmoother(alpha);
        snapshot = snapshot();
    }

    void add(BatchReport report) {
        long errors = report.errors();
        List<ClassReport> classes = report.classes();
        for (int c = 0; c < classes.size(); c++) {
            ClassReport r = classes.get(c);
            iou[c].add(r.iou());
            meanPositiveLoss[c].add(r.meanPositiveLoss());
            errorShare[c].add(errors == 0 ? Double.NaN : (double) (r.fp() + r.fn()) / errors);
            lossShare[c].add(r.loss() / report.loss());
        }
        aggregate.add(report.meanPositiveLoss());
        snapshot = snapshot();
    }

    Snapshot current() {
        return snapshot;
    }

    private Snapshot snapshot() {
        return new Snapshot(
                values(iou), values(meanPositiveLoss), values(errorShare), values(lossShare), aggregate.value());
    }

    private static double[] values(EmaSmoother[] smoothers) {
        double[] values = new double[smoothers.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = smoothers[i].value();
        }
        return values;
    }

    private static EmaSmoother[] smoothers(int n, double alpha) {
        EmaSmoother[] smoothers = new EmaSmoother[n];
        for (int i = 0; i < n; i++) {
            smoothers[i] = new EmaSmoother(alpha);
        }
        return smoothers;
    }
}
