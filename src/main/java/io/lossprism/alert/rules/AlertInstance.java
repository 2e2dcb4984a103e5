package io.lossprism.alert.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lifecycle of one alert instance (one rule, one class). INACTIVE enters PENDING when the condition holds;
 * PENDING becomes FIRING once the condition has held for {@code forEvaluations} consecutive evaluations,
 * counting the one that entered PENDING, and falls back to INACTIVE as soon as it does not; FIRING stays until
 * the reading is cleared (past the hysteresis), then RESOLVED, which lasts one evaluation.
 */
final class AlertInstance {

    private final RuleSettings settings;
    private final String className;
    private AlertState state = AlertState.INACTIVE;
    private int held;
    private long since;
    private Reading latest;

    AlertInstance(RuleSettings settings, String className) {
        this.settings = settings;
        this.className = className;
    }

    /** Applies one evaluation and returns the state changes it caused, in the order they happened. */
    List<Transition> advance(Reading reading, long iteration) {
        latest = reading;
        List<Transition> transitions = new ArrayList<>(2);
        switch (state) {
            case INACTIVE -> {
                if (reading.conditionHolds()) {
                    startPending(reading, iteration, transitions);
                }
            }
            case PENDING -> {
                if (!reading.conditionHolds()) {
                    move(AlertState.INACTIVE, reading, iteration, transitions);
                } else if (++held >= settings.forEvaluations()) {
                    move(AlertState.FIRING, reading, iteration, transitions);
                }
            }
            case FIRING -> {
                if (reading.cleared()) {
                    move(AlertState.RESOLVED, reading, iteration, transitions);
                }
            }
            case RESOLVED -> {
                if (reading.conditionHolds()) {
                    startPending(reading, iteration, transitions);
                } else {
                    move(AlertState.INACTIVE, reading, iteration, transitions);
                }
            }
        }
        return transitions;
    }

    AlertState state() {
        return state;
    }

    /** This instance as an active alert, empty unless PENDING or FIRING. */
    Optional<ActiveAlert> active() {
        if (state != AlertState.PENDING && state != AlertState.FIRING) {
            return Optional.empty();
        }
        return Optional.of(new ActiveAlert(
                settings.alertName(),
                className,
                settings.severity(),
                settings.split(),
                state,
                since,
                latest.value(),
                latest.evidence(),
                latest.summary()));
    }

    private void startPending(Reading reading, long iteration, List<Transition> transitions) {
        held = 1;
        move(AlertState.PENDING, reading, iteration, transitions);
        if (held >= settings.forEvaluations()) {
            move(AlertState.FIRING, reading, iteration, transitions);
        }
    }

    private void move(AlertState to, Reading reading, long iteration, List<Transition> transitions) {
        transitions.add(new Transition(
                settings.alertName(),
                className,
                settings.severity(),
                settings.split(),
                state,
                to,
                iteration,
                reading.value(),
                settings.threshold(),
                reading.evidence(),
                reading.summary()));
        state = to;
        since = iteration;
    }
}
