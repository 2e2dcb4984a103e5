package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MonitorQueueTest {

    @Test
    void aSlowConsumerGetsEveryItemInOrderAndTheProducerWaitsForRoom() throws Exception {
        Semaphore permits = new Semaphore(0); // the consumer works off one item per permit
        List<String> threads = new ArrayList<>();
        try (MonitorQueue<Integer, Integer> queue = new MonitorQueue<>("test-monitor", 2, i -> {
            permits.acquireUninterruptibly();
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            return i * 10;
        })) {
            queue.submit(1);
            queue.submit(2);
            // full: two items submitted, none worked off; a third submit must wait
            CompletableFuture<Void> third = CompletableFuture.runAsync(() -> queue.submit(3));
            assertThatThrownBy(() -> third.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(queue.poll()).isEmpty();

            permits.release(); // one item done: room for the third
            third.get(30, TimeUnit.SECONDS);
            List<Integer> results = new ArrayList<>(queue.poll());
            for (int i = 4; i <= 50; i++) {
                permits.release();
                queue.submit(i); // at most two outstanding: each submit waits for the permit just given
                results.addAll(queue.poll());
            }
            permits.release(3);
            results.addAll(queue.drain());

            assertThat(results)
                    .isEqualTo(IntStream.rangeClosed(1, 50)
                            .map(i -> i * 10)
                            .boxed()
                            .toList());
            assertThat(queue.outstanding()).isZero();
            assertThat(queue.waitNanos()).isPositive();
            assertThat(threads).containsOnly("test-monitor");
        }
    }

    @Test
    void drainWaitsForEveryItemSubmitted() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (MonitorQueue<Integer, Integer> queue = new MonitorQueue<>("test-drain", 3, i -> {
            try {
                go.await();
                Thread.sleep(20); // slower than the submitting side
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return i;
        })) {
            queue.submit(1);
            queue.submit(2);
            queue.submit(3);
            CompletableFuture<List<Integer>> drained = CompletableFuture.supplyAsync(queue::drain);
            assertThatThrownBy(() -> drained.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            go.countDown();
            assertThat(drained.get(30, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
            assertThat(queue.outstanding()).isZero();
        }
    }

    @Test
    void aFailureComesAtItsPlaceAndTheItemsAfterItStillCome() {
        try (MonitorQueue<Integer, Integer> queue = new MonitorQueue<>("test-failure", 4, i -> {
            if (i == 2) {
                throw new IllegalArgumentException("bad item " + i);
            }
            return i;
        })) {
            for (int i = 1; i <= 4; i++) {
                queue.submit(i);
            }
            assertThat(queue.drain()).containsExactly(1);
            assertThatThrownBy(queue::drain)
                    .isInstanceOf(MonitorQueue.MonitorFailure.class)
                    .hasMessageContaining("bad item 2")
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(queue.drain()).containsExactly(3, 4);
            assertThat(queue.outstanding()).isZero();
        }
    }

    @Test
    void closeEndsTheThreadAndRefusesFurtherItems() {
        MonitorQueue<Integer, Integer> queue = new MonitorQueue<>("test-close", 1, i -> i);
        queue.submit(7);
        assertThat(queue.drain()).containsExactly(7);
        queue.close();
        assertThatThrownBy(() -> queue.submit(8)).isInstanceOf(IllegalStateException.class);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("test-close") && t.isAlive());
    }
}
