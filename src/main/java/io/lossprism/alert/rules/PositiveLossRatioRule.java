package io.lossprism.alert.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A class whose positive pixels cost far more, on average, than positive pixels overall: the network
 * misses that class's objects even though the aggregate loss, dominated by easy negatives, looks small.
 */
final class PositiveLossRatioRule implements AlertRule {

    private final RuleSettings settings;
    private final List<String> classNames;
    private final List<Smoother> classLosses = new ArrayList<>();
    private final Smoother aggregateLoss;

    PositiveLossRatioRule(RuleSettings settings, Smoothing smoothing, List<String> classNames) {
        this.settings = settings;
        this.classNames = classNames;
        classNames.forEach(name -> classLosses.add(smoothing.newSmoother()));
        this.aggregateLoss = smoothing.newSmoother();
    }

    @Override
    public List<Reading> evaluate(BatchObservation observation) {
        aggregateLoss.add(observation.meanPositiveLoss());
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < classNames.size(); i++) {
            Smoother classLoss = classLosses.get(i);
            observation.classNamed(classNames.get(i)).ifPresent(c -> classLoss.add(c.meanPositiveLoss()));
            double ratio = classLoss.value() / aggregateLoss.value();
            // NaN until both series have data; infinite while the aggregate is 0 (no ratio to speak of).
            if (Double.isFinite(ratio)) {
                readings.add(reading(classNames.get(i), classLoss.value(), aggregateLoss.value(), ratio));
            }
        }
        return readings;
    }

    private Reading reading(String className, double classLoss, double aggregateLoss, double ratio) {
        String summary = "class " + className + "'s mean positive-pixel loss " + Formats.number(classLoss)
                + " is " + Formats.number(ratio) + "x the mean over all positive pixels "
                + Formats.number(aggregateLoss) + " (" + Formats.comparison(ratio, settings.threshold()) + ")";
        return Reading.aboveThreshold(
                className,
                ratio,
                settings,
                Evidence.of(
                        "classMeanPositiveLoss", classLoss, "aggregateMeanPositiveLoss", aggregateLoss, "ratio", ratio),
                summary);
    }
}
