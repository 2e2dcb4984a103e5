package io.lossprism.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A finished run's series go after the grace period, at most so many wait, and a run that comes back stays. */
class FinishedRunsTest {

    private final Vertx vertx = Vertx.vertx();
    private final Context loop = vertx.getOrCreateContext();
    private final List<String> removed = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFinishedRunIsRemovedAfterTheGraceNotBefore() throws Exception {
        FinishedRuns runs = onLoop(() -> new FinishedRuns(vertx, 1500, 8, removed::add));
        long ended = System.nanoTime();
        onLoop(() -> {
            runs.ended("ext-1");
            return null;
        });
        awaitRemoved(1);
        assertThat(removed).containsExactly("ext-1");
        assertThat(System.nanoTime() - ended).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
    }

    @Test
    void aRunThatComesBackBeforeItsTimeKeepsItsSeries() throws Exception {
        FinishedRuns runs = onLoop(() -> new FinishedRuns(vertx, 300, 8, removed::add));
        onLoop(() -> {
            runs.ended("run-1");
            runs.live("run-1"); // resumed
            runs.ended("run-2");
            return null;
        });
        awaitRemoved(1);
        Thread.sleep(600); // twice the grace: run-1's timer would have fired by now
        assertThat(removed).containsExactly("run-2");
    }

    @Test
    void pastTheLimitTheRunThatFinishedFirstGoesAtOnce() throws Exception {
        FinishedRuns runs = onLoop(() -> new FinishedRuns(vertx, 60_000, 2, removed::add));
        onLoop(() -> {
            runs.ended("a");
            runs.ended("b");
            runs.ended("c");
            return null;
        });
        assertThat(removed).containsExactly("a");
    }

    @Test
    void noGraceRemovesAtOnce() throws Exception {
        FinishedRuns runs = onLoop(() -> new FinishedRuns(vertx, 0, 2, removed::add));
        onLoop(() -> {
            runs.ended("a");
            return null;
        });
        assertThat(removed).containsExactly("a");
    }

    private void awaitRemoved(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (removed.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(removed).hasSizeGreaterThanOrEqualTo(count);
    }

    /** Runs on the event loop, as the metrics verticle does, and waits for it. */
    private <T> T onLoop(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(v -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }
}
