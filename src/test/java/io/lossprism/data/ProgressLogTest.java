package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLogTest {

    private static final long SECOND = 1_000_000_000L;

    private long now;
    private final List<String> lines = new ArrayList<>();

    @Test
    void aQuickLoadPrintsNothing() {
        ProgressLog log = new ProgressLog(() -> now, lines::add);
        for (int done = 1; done <= 1000; done++) {
            now += SECOND / 1000; // all in one second
            log.loaded(done, 1000);
        }
        assertThat(lines).isEmpty();
    }

    @Test
    void aSteadyLoadPrintsAtEachTenthOnceTwoSecondsHavePassed() {
        ProgressLog log = new ProgressLog(() -> now, lines::add);
        for (int done = 1; done <= 25_000; done++) {
            now += SECOND / 500; // 50 s in all, 5 s per tenth
            log.loaded(done, 25_000);
        }
        assertThat(lines).hasSize(9).first().isEqualTo("loading dataset: 2500/25000 images");
        assertThat(lines).last().isEqualTo("loading dataset: 22500/25000 images");
    }

    @Test
    void fastTenthsAreMergedIntoOneLineEveryTwoSeconds() {
        ProgressLog log = new ProgressLog(() -> now, lines::add);
        for (int done = 1; done <= 1000; done++) {
            now += SECOND / 100; // 10 s in all, a tenth per second
            log.loaded(done, 1000);
        }
        assertThat(lines)
                .containsExactly(
                        "loading dataset: 200/1000 images",
                        "loading dataset: 400/1000 images",
                        "loading dataset: 600/1000 images",
                        "loading dataset: 800/1000 images");
    }

    @Test
    void aSlowLoadStillPrintsEveryTenSeconds() {
        ProgressLog log = new ProgressLog(() -> now, lines::add);
        for (int done = 1; done <= 3000; done++) {
            now += SECOND / 100; // a tenth of 100,000 takes 100 s
            log.loaded(done, 100_000);
        }
        assertThat(lines)
                .containsExactly(
                        "loading dataset: 1000/100000 images",
                        "loading dataset: 2000/100000 images",
                        "loading dataset: 3000/100000 images");
    }
}
