package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.config.CheckpointConfig;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CheckpointPolicyTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    /** Every 10 iterations or every 2 minutes. */
    private final CheckpointPolicy policy = new CheckpointPolicy(new CheckpointConfig(10, 2, 3), now::get);

    @Test
    void dueAfterTheIterationIntervalCountedFromTheLastSave() {
        assertThat(policy.due(9)).isFalse();
        assertThat(policy.due(10)).isTrue();
        policy.saved(10);
        assertThat(policy.due(19)).isFalse();
        assertThat(policy.due(20)).isTrue();
    }

    @Test
    void dueAfterTheTimeIntervalWhicheverComesFirst() {
        now.addAndGet(119_999);
        assertThat(policy.due(1)).isFalse();
        now.addAndGet(1);
        assertThat(policy.due(1)).isTrue();
        policy.saved(1);
        assertThat(policy.due(2)).as("saving restarts the clock").isFalse();
    }

    @Test
    void aCheckpointIsNeverWrittenTwiceAtOneIteration() {
        assertThat(policy.savedAt(0))
                .as("iteration 0 is the start, nothing to save")
                .isTrue();
        assertThat(policy.savedAt(7)).isFalse();
        policy.saved(7);
        assertThat(policy.savedAt(7)).isTrue();
        assertThat(policy.lastIteration()).isEqualTo(7);
    }

    @Test
    void goingBackToACheckpointCountsIterationsFromItButKeepsTheClock() {
        policy.saved(30);
        now.addAndGet(100_000);
        policy.restoredTo(20);
        assertThat(policy.lastIteration()).isEqualTo(20);
        assertThat(policy.savedAt(20)).isTrue();
        assertThat(policy.due(29)).isFalse();
        now.addAndGet(20_000);
        assertThat(policy.due(21)).as("two minutes since the save at 30").isTrue();
    }
}
