package io.lossprism.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lossprism.bus.Addresses;
import io.lossprism.bus.Codecs;
import io.lossprism.bus.RunEvent;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.bus.TrainingStatus.State;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live-runs registry on a real event bus: what it lists and what it announces. */
class LiveRunsTest {

    private final Vertx vertx = Vertx.vertx();
    private final List<Object> published = new CopyOnWriteArrayList<>();
    private final LiveRuns live;

    LiveRunsTest() {
        Codecs.register(vertx.eventBus());
        vertx.eventBus().<RunEvent>localConsumer(Addresses.RUN_EVENT, m -> published.add(m.body()));
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> published.add(m.body()));
        live = LiveRuns.follow(vertx.eventBus());
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anExternalRunIsListedAnnouncedAndEndedByItsOwner() throws Exception {
        live.register("ext-1", "keras unet", LiveRuns.EXTERNAL);

        assertThat(live.list()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("keras unet");
            assertThat(r.kind()).isEqualTo(LiveRuns.EXTERNAL);
            assertThat(r.state()).isEqualTo("training");
        });
        assertThat(live.external()).isEqualTo(1);
        await(() -> published.size() >= 2);
        assertThat(published.get(0)).isEqualTo(new RunEvent("ext-1", 0, "started"));
        assertThat(((TrainingStatus) published.get(1)).state()).isEqualTo(State.TRAINING);
        assertThatThrownBy(() -> live.register("ext-1", "again", LiveRuns.EXTERNAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ext-1");

        live.finish("ext-1");

        assertThat(live.list()).isEmpty();
        await(() -> published.size() >= 3);
        TrainingStatus last = (TrainingStatus) published.get(2);
        assertThat(last.runId()).isEqualTo("ext-1");
        assertThat(last.state()).isEqualTo(State.FINISHED);
        Thread.sleep(200); // the statuses above reached the registry too: none lists the run again
        assertThat(live.list()).isEmpty();
    }

    @Test
    void aDl4jRunListsItselfWithItsStatusAndLeavesWithItsEnd() throws Exception {
        live.register("ext-1", "keras", LiveRuns.EXTERNAL);
        vertx.eventBus().publish(Addresses.TRAINING_STATUS, TrainingStatus.starting("run-1", 10));
        await(() -> live.get("run-1").isPresent());
        assertThat(live.get("run-1").orElseThrow().kind()).isEqualTo(LiveRuns.DL4J);
        assertThat(live.mostRecent().orElseThrow().id()).isEqualTo("run-1");
        assertThat(live.list()).extracting(LiveRuns.LiveRun::id).containsExactly("run-1", "ext-1");
        assertThat(live.external()).isEqualTo(1);

        vertx.eventBus()
                .publish(
                        Addresses.TRAINING_STATUS,
                        TrainingStatus.starting("run-1", 10).with(State.STOPPED, "stopped"));
        await(() -> live.get("run-1").isEmpty());
        // a stopped DL4J run that resumes is live again
        vertx.eventBus().publish(Addresses.TRAINING_STATUS, TrainingStatus.starting("run-1", 10));
        await(() -> live.get("run-1").isPresent());
    }

    @Test
    void onlyAFinalStateEndsARun() {
        live.register("ext-1", "keras", LiveRuns.EXTERNAL);
        assertThatThrownBy(() -> live.finish("ext-1", State.PAUSED, "")).isInstanceOf(IllegalArgumentException.class);
        live.finish("ext-2"); // not live: nothing happens
        assertThat(live.list()).hasSize(1);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within 30 s").isTrue();
    }
}
