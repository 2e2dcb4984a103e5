package io.lossprism.alert.rules;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregate loss is NaN or infinite. Once that happens every term soon follows, so the summary names the
 * class whose term went non-finite first: where to look. A class is remembered from the first iteration of
 * its current non-finite run and forgotten when its term is finite again, so an old one-off spike is not blamed.
 */
final class NonFiniteLossRule implements AlertRule {

    private final List<String> classNames;
    private final Map<String, Long> nonFiniteSince = new HashMap<>();
    private long lossNonFiniteSince = -1;

    NonFiniteLossRule(List<String> classNames) {
        this.classNames = classNames;
    }

    @Override
    public List<Reading> evaluate(BatchObservation observation) {
        Map<String, Double> nonFiniteTerms = new LinkedHashMap<>();
        for (String name : classNames) {
            observation.classNamed(name).ifPresent(c -> {
                if (Double.isFinite(c.loss())) {
                    nonFiniteSince.remove(name);
                } else {
                    nonFiniteSince.putIfAbsent(name, observation.iteration());
                    nonFiniteTerms.put(name, c.loss());
                }
            });
        }
        boolean finite = Double.isFinite(observation.loss());
        if (finite) {
            lossNonFiniteSince = -1;
        } else if (lossNonFiniteSince < 0) {
            lossNonFiniteSince = observation.iteration();
        }
        return List.of(
                new Reading(null, observation.loss(), !finite, finite, nonFiniteTerms, summary(observation, finite)));
    }

    private String summary(BatchObservation observation, boolean finite) {
        if (finite) {
            return "loss is finite (" + Formats.number(observation.loss()) + ") at iteration "
                    + observation.iteration();
        }
        String what = Double.isNaN(observation.loss()) ? "NaN" : "infinite";
        return "loss is " + what + " since iteration " + lossNonFiniteSince + "; " + firstNonFinite();
    }

    /** The classes with the earliest remembered non-finite iteration, in class order. */
    private String firstNonFinite() {
        if (nonFiniteSince.isEmpty()) {
            return "no class term is non-finite";
        }
        long earliest = nonFiniteSince.values().stream()
                .mapToLong(Long::longValue)
                .min()
                .orElseThrow();
        List<String> first = classNames.stream()
                .filter(name -> nonFiniteSince.getOrDefault(name, Long.MAX_VALUE) == earliest)
                .toList();
        String noun = first.size() == 1 ? "class " : "classes ";
        return "first non-finite: " + noun + String.join(", ", first) + " (iteration " + earliest + ")";
    }
}
