package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.config.MonitorConfig;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MonitorScheduleTest {

    /** Progress every 4 iterations, validation every 3, samples every 5. */
    private final MonitorSchedule schedule = new MonitorSchedule(new MonitorConfig(4, 3, 5, 2));

    private static List<Long> due(LongPredicate when) {
        return LongStream.rangeClosed(1, 12).filter(when).boxed().toList();
    }

    @Test
    void validationEveryNIterationsAndAtTheEnd() {
        assertThat(due(i -> schedule.validationDue(i, false))).containsExactly(3L, 6L, 9L, 12L);
        assertThat(schedule.validationDue(7, true)).isTrue();
        MonitorSchedule off = new MonitorSchedule(new MonitorConfig(4, 0, 0, 2));
        assertThat(due(i -> off.validationDue(i, i == 12))).isEmpty();
    }

    @Test
    void samplesRightAwayThenEveryKIterationsAndAtTheEnd() {
        assertThat(schedule.samplesOn()).isTrue();
        assertThat(schedule.samplesDue(7, false)).as("nothing sent yet").isTrue();
        schedule.sampled();
        assertThat(due(i -> schedule.samplesDue(i, false))).containsExactly(5L, 10L);
        assertThat(schedule.samplesDue(11, true)).isTrue();
        MonitorSchedule off = new MonitorSchedule(new MonitorConfig(4, 3, 0, 2));
        assertThat(off.samplesOn()).isFalse();
        assertThat(due(i -> off.samplesDue(i, true))).isEmpty();
    }

    @Test
    void progressEveryLIterationsAndAtEachEpochEnd() {
        assertThat(due(i -> schedule.progressDue(i, 6))).containsExactly(4L, 6L, 8L, 12L);
        assertThat(MonitorSchedule.epochEnd(6, 6)).isTrue();
        assertThat(MonitorSchedule.epochEnd(7, 6)).isFalse();
    }
}
