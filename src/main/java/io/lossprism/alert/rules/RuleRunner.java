package io.lossprism.alert.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One configured rule with its alert instances: routes each of the rule's readings to its instance. */
final class RuleRunner {

    private final RuleSettings settings;
    private final AlertRule rule;
    /** In class order; the single instance of a rule that is not per class has the key null. */
    private final Map<String, AlertInstance> instances = new LinkedHashMap<>();

    RuleRunner(RuleSettings settings, Smoothing smoothing, List<String> classNames) {
        this.settings = settings;
        this.rule = AlertRule.create(settings, smoothing, classNames);
        List<String> keys = settings.kind().perClass() ? classNames : Arrays.asList((String) null);
        keys.forEach(key -> instances.put(key, new AlertInstance(settings, key)));
    }

    boolean reads(BatchObservation observation) {
        return settings.split().equals(observation.split());
    }

    List<Transition> evaluate(BatchObservation observation) {
        List<Transition> transitions = new ArrayList<>();
        for (Reading reading : rule.evaluate(observation)) {
            transitions.addAll(instances.get(reading.className()).advance(reading, observation.iteration()));
        }
        return transitions;
    }

    List<ActiveAlert> active() {
        return instances.values().stream()
                .map(AlertInstance::active)
                .flatMap(Optional::stream)
                .toList();
    }
}
