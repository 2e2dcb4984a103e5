package io.lossprism.alert.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A class that makes a much larger share of the pixel mistakes than of the loss: averaging over pixels and
 * classes hides it. The value is the smoothed error share minus the smoothed loss share.
 */
final class HiddenClassRule implements AlertRule {

    private final RuleSettings settings;
    private final List<String> classNames;
    private final List<Smoother> errorShares = new ArrayList<>();
    private final List<Smoother> lossShares = new ArrayList<>();

    HiddenClassRule(RuleSettings settings, Smoothing smoothing, List<String> classNames) {
        this.settings = settings;
        this.classNames = classNames;
        classNames.forEach(name -> {
            errorShares.add(smoothing.newSmoother());
            lossShares.add(smoothing.newSmoother());
        });
    }

    @Override
    public List<Reading> evaluate(BatchObservation observation) {
        List<Optional<ClassObservation>> classes =
                classNames.stream().map(observation::classNamed).toList();
        long totalErrors = classes.stream()
                .flatMap(Optional::stream)
                .mapToLong(ClassObservation::errors)
                .sum();
        // A batch without a single wrong pixel has no error shares: it is skipped, not counted as balanced.
        if (totalErrors <= 0) {
            return List.of();
        }
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < classNames.size(); i++) {
            Smoother errorShare = errorShares.get(i);
            Smoother lossShare = lossShares.get(i);
            classes.get(i).ifPresent(c -> {
                errorShare.add((double) c.errors() / totalErrors);
                lossShare.add(c.loss() / observation.loss());
            });
            double gap = errorShare.value() - lossShare.value();
            if (!Double.isNaN(gap)) {
                readings.add(reading(classNames.get(i), errorShare.value(), lossShare.value(), gap));
            }
        }
        return readings;
    }

    private Reading reading(String className, double errorShare, double lossShare, double gap) {
        String summary = "class " + className + " causes " + Formats.percent(errorShare) + " of the pixel errors and "
                + Formats.percent(lossShare) + " of the loss (gap " + Formats.number(gap) + " "
                + Formats.comparison(gap, settings.threshold()) + ")";
        return Reading.aboveThreshold(
                className, gap, settings, Evidence.of("errorShare", errorShare, "lossShare", lossShare), summary);
    }
}
