package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(5 * SECOND);

    @Test
    void aBurstPassesThenTheRateHoldsPerClient() {
        RateLimiter limiter = new RateLimiter(2, 4, 10, now::get);

        for (int i = 0; i < 4; i++) {
            assertThat(limiter.allow("a")).as("request %d of the burst", i).isTrue();
        }
        assertThat(limiter.allow("a")).isFalse();
        now.addAndGet(SECOND / 2);
        assertThat(limiter.allow("a")).as("one token back after 0.5 s at 2/s").isTrue();
        assertThat(limiter.allow("a")).isFalse();
        assertThat(limiter.allow("b")).as("another client has its own bucket").isTrue();
    }

    @Test
    void forgetsTheLeastRecentClientsBeyondItsCapacity() {
        RateLimiter limiter = new RateLimiter(1, 1, 2, now::get);

        assertThat(limiter.allow("a")).isTrue();
        assertThat(limiter.allow("a")).isFalse();
        limiter.allow("b");
        limiter.allow("c"); // "a" is forgotten: memory stays at two clients
        assertThat(limiter.allow("a"))
                .as("a fresh bucket for a forgotten client")
                .isTrue();
    }
}
