package io.lossprism.alert.rules;

import java.util.ArrayList;
import java.util.List;

/** A class whose smoothed IoU trails the mean of the other classes' smoothed IoU by more than the threshold. */
final class IouLagRule implements AlertRule {

    private final RuleSettings settings;
    private final List<String> classNames;
    private final List<Smoother> ious = new ArrayList<>();

    IouLagRule(RuleSettings settings, Smoothing smoothing, List<String> classNames) {
        this.settings = settings;
        this.classNames = classNames;
        classNames.forEach(name -> ious.add(smoothing.newSmoother()));
    }

    @Override
    public List<Reading> evaluate(BatchObservation observation) {
        for (int i = 0; i < classNames.size(); i++) {
            Smoother iou = ious.get(i);
            observation.classNamed(classNames.get(i)).ifPresent(c -> iou.add(c.iou()));
        }
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < classNames.size(); i++) {
            double classIou = ious.get(i).value();
            double othersMeanIou = othersMean(i);
            if (Double.isNaN(classIou) || Double.isNaN(othersMeanIou)) {
                continue;
            }
            readings.add(reading(classNames.get(i), classIou, othersMeanIou));
        }
        return readings;
    }

    /** Mean over the other classes that have a smoothed IoU; {@code NaN} when none has. */
    private double othersMean(int self) {
        double sum = 0;
        int count = 0;
        for (int j = 0; j < ious.size(); j++) {
            double value = ious.get(j).value();
            if (j != self && !Double.isNaN(value)) {
                sum += value;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private Reading reading(String className, double classIou, double othersMeanIou) {
        double lag = othersMeanIou - classIou;
        String summary = "class " + className + "'s IoU " + Formats.number(classIou)
                + " lags the other classes' mean " + Formats.number(othersMeanIou)
                + " by " + Formats.number(lag) + " (" + Formats.comparison(lag, settings.threshold()) + ")";
        return Reading.aboveThreshold(
                className,
                lag,
                settings,
                Evidence.of("classIou", classIou, "othersMeanIou", othersMeanIou, "lag", lag),
                summary);
    }
}
