package io.lossprism.alert.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A class whose loss term rises while the aggregate loss falls, both fitted over the last {@code window}
 * evaluations and relative to their own mean, so that a small class term's rise is not lost in scale.
 */
final class TrendDivergenceRule implements AlertRule {

    private final RuleSettings settings;
    private final List<String> classNames;
    private final int windowSize;
    private final List<TrendWindow> windows = new ArrayList<>();

    /** @param windowSize evaluations each line is fitted through ({@link Smoothing#window()}) */
    TrendDivergenceRule(RuleSettings settings, int windowSize, List<String> classNames) {
        this.settings = settings;
        this.windowSize = windowSize;
        this.classNames = classNames;
        classNames.forEach(name -> windows.add(new TrendWindow(windowSize)));
    }

    @Override
    public List<Reading> evaluate(BatchObservation observation) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < classNames.size(); i++) {
            TrendWindow window = windows.get(i);
            observation.classNamed(classNames.get(i)).ifPresent(c -> window.add(c.loss(), observation.loss()));
            if (!window.isFull()) {
                continue;
            }
            double classSlope = window.classSlope();
            double aggregateSlope = window.aggregateSlope();
            // Not finite when a series' mean over the window is 0: no relative slope to compare.
            if (Double.isFinite(classSlope) && Double.isFinite(aggregateSlope)) {
                readings.add(reading(classNames.get(i), classSlope, aggregateSlope));
            }
        }
        return readings;
    }

    private Reading reading(String className, double classSlope, double aggregateSlope) {
        boolean aggregateFalls = aggregateSlope < 0;
        boolean holds = aggregateFalls && classSlope > settings.threshold();
        // Hysteresis (0 by default) lowers the bar the class slope must stay above while firing.
        boolean cleared = !(aggregateFalls && classSlope > settings.threshold() - settings.hysteresis());
        String summary = "class " + className + "'s loss term trends " + Formats.signedPercent(classSlope)
                + " per evaluation while the aggregate loss trends " + Formats.signedPercent(aggregateSlope)
                + " over the last " + windowSize + " evaluations (threshold "
                + Formats.signedPercent(settings.threshold()) + ")";
        return new Reading(
                className,
                classSlope,
                holds,
                cleared,
                Evidence.of("classSlope", classSlope, "aggregateSlope", aggregateSlope),
                summary);
    }
}
