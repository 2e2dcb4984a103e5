package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradeQueueTest {

    private final List<Runnable> turns = new ArrayList<>();
    private final List<Integer> done = new ArrayList<>();
    private final UpgradeQueue queue = new UpgradeQueue(turns::add, 3);

    @Test
    void nothingRunsNowAndEachTurnRunsAFewInOrderOfArrival() {
        for (int i = 0; i < 7; i++) {
            int upgrade = i;
            queue.add(() -> done.add(upgrade));
        }
        assertThat(done).isEmpty();
        assertThat(turns).as("one turn asked for, not one per upgrade").hasSize(1);

        nextTurn();
        assertThat(done).containsExactly(0, 1, 2);
        assertThat(queue.waiting()).isEqualTo(4);
        nextTurn();
        nextTurn();
        assertThat(done).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(queue.waiting()).isZero();
        assertThat(turns).as("no turn asked for with nothing waiting").isEmpty();
    }

    @Test
    void anUpgradeFailingLeavesTheOthersTheirTurns() {
        queue.add(() -> done.add(0));
        queue.add(() -> {
            throw new IllegalStateException("connection gone");
        });
        queue.add(() -> done.add(2));
        queue.add(() -> done.add(3));

        assertThatThrownBy(this::nextTurn).isInstanceOf(IllegalStateException.class);
        assertThat(done).containsExactly(0);
        nextTurn();
        assertThat(done).containsExactly(0, 2, 3);
        assertThat(turns).isEmpty();
    }

    @Test
    void refusesTurnsOfNone() {
        assertThatThrownBy(() -> new UpgradeQueue(turns::add, 0)).hasMessageContaining("perTurn");
    }

    private void nextTurn() {
        assertThat(turns).hasSize(1);
        turns.remove(0).run();
    }
}
