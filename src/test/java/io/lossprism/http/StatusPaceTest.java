package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.lossprism.http.StatusPace.Decision;
import org.junit.jupiter.api.Test;

class StatusPaceTest {

    private static final long MS = 1_000_000;

    private final StatusPace pace = new StatusPace(250 * MS);
    private final TrainingStatus training = TrainingStatus.starting("run-1", 3).with(State.TRAINING, "");

    private TrainingStatus at(long iteration) {
        return training.at(0, iteration, 100, 50, 0);
    }

    @Test
    void progressWithinTheIntervalIsHeldAndTheNewestReleased() {
        assertThat(pace.offer(at(1), 0)).isEqualTo(Decision.SEND);
        assertThat(pace.offer(at(2), 50 * MS)).isEqualTo(Decision.HOLD_AND_SCHEDULE);
        assertThat(pace.waitNanos("run-1", 50 * MS)).isEqualTo(200 * MS);
        assertThat(pace.offer(at(3), 100 * MS)).isEqualTo(Decision.HOLD);
        assertThat(pace.release("run-1", 250 * MS)).contains(at(3));
        assertThat(pace.release("run-1", 260 * MS)).isEmpty();
        // the release counts as a send: the next progress waits again
        assertThat(pace.offer(at(4), 300 * MS)).isEqualTo(Decision.HOLD_AND_SCHEDULE);
        assertThat(pace.offer(at(5), 500 * MS)).isEqualTo(Decision.SEND);
        assertThat(pace.release("run-1", 510 * MS)).isEmpty(); // at(4) was older than at(5), sent
    }

    @Test
    void aChangeOfStateOrMessageGoesAtOnce() {
        assertThat(pace.offer(at(1), 0)).isEqualTo(Decision.SEND);
        assertThat(pace.offer(at(2), 10 * MS)).isEqualTo(Decision.HOLD_AND_SCHEDULE);
        assertThat(pace.offer(at(2).with(State.PAUSED, "paused"), 20 * MS)).isEqualTo(Decision.SEND);
        assertThat(pace.release("run-1", 250 * MS)).isEmpty(); // the pause superseded the held progress
        assertThat(pace.offer(at(2).with(State.PAUSED, "disk full"), 30 * MS)).isEqualTo(Decision.SEND);
    }

    @Test
    void runsArePacedApart() {
        assertThat(pace.offer(at(1), 0)).isEqualTo(Decision.SEND);
        TrainingStatus other = TrainingStatus.starting("run-2", 3).with(State.TRAINING, "");
        assertThat(pace.offer(other, 10 * MS)).isEqualTo(Decision.SEND);
    }

    @Test
    void aForgottenRunStartsAfresh() {
        assertThat(pace.offer(at(1), 0)).isEqualTo(Decision.SEND);
        pace.forget("run-1");
        assertThat(pace.offer(at(2), 10 * MS)).isEqualTo(Decision.SEND);
    }
}
