package io.lossprism.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@SuppressWarnings("try") // leases are scope guards, held and never read
class DecodeMemoryTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void anImageThatDoesNotFitWaitsUntilAnotherIsReleased() throws Exception {
        DecodeMemory memory = new DecodeMemory(100);
        DecodeMemory.Lease first = memory.acquire(60);
        CountDownLatch acquired = new CountDownLatch(1);
        Future<?> second = pool.submit(() -> {
            try (DecodeMemory.Lease lease = memory.acquire(60)) {
                acquired.countDown();
            }
            return null;
        });

        assertThat(acquired.await(200, TimeUnit.MILLISECONDS))
                .as("60 + 60 > 100: must wait")
                .isFalse();
        first.close();
        second.get(5, TimeUnit.SECONDS);
        assertThat(memory.peak()).isEqualTo(60);
    }

    @Test
    void imagesThatFitTogetherDoNotWait() throws Exception {
        DecodeMemory memory = new DecodeMemory(100);
        try (DecodeMemory.Lease a = memory.acquire(40);
                DecodeMemory.Lease b = memory.acquire(60)) {
            assertThat(memory.peak()).isEqualTo(100);
        }
    }

    @Test
    void anImageLargerThanTheBudgetDecodesAloneInsteadOfWaitingForever() throws Exception {
        DecodeMemory memory = new DecodeMemory(100);
        try (DecodeMemory.Lease big = memory.acquire(500)) {
            Future<?> small = pool.submit(() -> {
                memory.acquire(1).close();
                return null;
            });
            try {
                small.get(200, TimeUnit.MILLISECONDS);
                throw new AssertionError("a second image was decoded beside one larger than the budget");
            } catch (TimeoutException expected) {
                // waits while the large one is held
            }
        }
        memory.acquire(1).close();
        assertThat(memory.peak()).isEqualTo(500);
    }

    @Test
    void closingALeaseTwiceReleasesOnce() throws Exception {
        DecodeMemory memory = new DecodeMemory(100);
        DecodeMemory.Lease lease = memory.acquire(70);
        lease.close();
        lease.close();
        try (DecodeMemory.Lease a = memory.acquire(70)) {
            CountDownLatch acquired = new CountDownLatch(1);
            pool.submit(() -> {
                memory.acquire(70).close();
                acquired.countDown();
                return null;
            });
            assertThat(acquired.await(200, TimeUnit.MILLISECONDS)).isFalse();
        }
    }
}
