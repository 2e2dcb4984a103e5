package io.lossprism.alert.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates the enabled rules on one observation per batch and keeps every alert instance's state.
 *
 * <p>Order is deterministic: transitions and active alerts come rule by rule in the order the rules were
 * given, class by class in the order of {@code classNames}, and an instance's own changes in the order they
 * happened (INACTIVE to PENDING before PENDING to FIRING).
 *
 * <p>Classes are matched by name. A class the engine knows but an observation lacks counts as absent from that
 * batch (its inputs are skipped); a class the engine was not given is ignored. Not thread-safe.
 */
public final class AlertEngine {

    private final List<RuleRunner> runners = new ArrayList<>();

    /** @param smoothing how every rule smooths its inputs (and the window the trend rule fits) */
    public AlertEngine(List<RuleSettings> rules, Smoothing smoothing, List<String> classNames) {
        Objects.requireNonNull(smoothing, "smoothing");
        List<String> classes = List.copyOf(classNames);
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("classNames: must not be empty");
        }
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new IllegalArgumentException("classNames: must be distinct, got " + classes);
        }
        for (RuleSettings settings : rules) {
            Objects.requireNonNull(settings, "rules: null entry");
            if (settings.enabled()) {
                runners.add(new RuleRunner(settings, smoothing, classes));
            }
        }
    }

    /** Feeds the observation to the rules of its split and returns the transitions it caused. */
    public List<Transition> evaluate(BatchObservation observation) {
        Objects.requireNonNull(observation, "observation");
        List<Transition> transitions = new ArrayList<>();
        for (RuleRunner runner : runners) {
            if (runner.reads(observation)) {
                transitions.addAll(runner.evaluate(observation));
            }
        }
        return List.copyOf(transitions);
    }

    /** The PENDING and FIRING alerts, with the numbers of their latest evaluation. */
    public List<ActiveAlert> active() {
        return runners.stream().flatMap(runner -> runner.active().stream()).toList();
    }
}
