package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TokenBucket bucket = new TokenBucket(10, 5, now::get);

    @Test
    void aFullBurstThenNothingUntilTimePasses() {
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.tryTake()).as("token %d", i).isTrue();
        }
        assertThat(bucket.tryTake()).isFalse();
        now.addAndGet(199_000_000L); // 5 per second: one token every 200 ms
        assertThat(bucket.tryTake()).isFalse();
        now.addAndGet(1_000_000L);
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void refillsNoFurtherThanTheBurst() {
        for (int i = 0; i < 10; i++) {
            bucket.tryTake();
        }
        now.addAndGet(60_000_000_000L);
        int taken = 0;
        while (bucket.tryTake()) {
            taken++;
        }
        assertThat(taken).isEqualTo(10);
    }

    @Test
    void aSteadyRateAtTheLimitIsAllowed() {
        for (int i = 0; i < 100; i++) {
            now.addAndGet(200_000_000L);
            assertThat(bucket.tryTake()).isTrue();
        }
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new TokenBucket(0, 5, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
