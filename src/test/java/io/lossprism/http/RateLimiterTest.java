package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstPassesThenTheRateHolds() {
        RateLimiter limiter = new RateLimiter(2, 4, 10);
        long t = 5 * SECOND;

        for (int i = 0; i < 4; i++) {
            assertThat(limiter.allow("a", t)).as("request %d of the burst", i).isTrue();
        }
        assertThat(limiter.allow("a", t)).isFalse();
        assertThat(limiter.allow("a", t + SECOND / 2)).isTrue(); // one token back after 0.5 s at 2/s
        assertThat(limiter.allow("a", t + SECOND / 2)).isFalse();
        assertThat(limiter.allow("b", t)).as("another client has its own bucket").isTrue();
    }

    @Test
    void idleTimeRefillsOnlyUpToTheBurst() {
        RateLimiter limiter = new RateLimiter(10, 3, 10);

        for (int i = 0; i < 3; i++) {
            limiter.allow("a", 0);
        }
        long later = 3600 * SECOND;
        int passed = 0;
        while (limiter.allow("a", later)) {
            passed++;
        }
        assertThat(passed).isEqualTo(3);
    }

    @Test
    void forgetsTheLeastRecentClientsBeyondItsCapacity() {
        RateLimiter limiter = new RateLimiter(1, 1, 2);

        assertThat(limiter.allow("a", 0)).isTrue();
        assertThat(limiter.allow("a", 0)).isFalse();
        limiter.allow("b", 0);
        limiter.allow("c", 0); // "a" is forgotten: memory stays at two clients
        assertThat(limiter.allow("a", 0)).as("a fresh bucket for a forgotten client").isTrue();
    }
}
