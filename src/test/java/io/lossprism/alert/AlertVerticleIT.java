package io.lossprism.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.alert.rules.AlertState;
import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.AlertSnapshot;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.bus.Codecs;
import io.lossprism.bus.RunEvent;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert verticle on a real event bus: what it publishes for the API and the feed, and in which order. */
class AlertVerticleIT {

    private Vertx vertx;
    /** Everything received on one context, in order: snapshots and transitions. */
    private final List<Object> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Codecs.register(vertx.eventBus());
        AppConfig config = ConfigLoader.load(null, List.of("alerts.warmupIterations=0"));
        Context listener = vertx.getOrCreateContext();
        listener.runOnContext(v -> {
            vertx.eventBus().<AlertSnapshot>localConsumer(Addresses.ALERTS, m -> received.add(m.body()));
            vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> received.add(m.body()));
        });
        vertx.deployVerticle(new AlertVerticle(config.alerts(), "http://localhost/"))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachChangeIsPublishedAsASnapshotBeforeItsTransitionsAndANewRunClearsIt() throws Exception {
        vertx.eventBus().publish(Addresses.BATCH_REPORT, nanReport(1));
        awaitReceived(3); // one evaluation: inactive -> pending -> firing (the rule holds for 1 evaluation)
        assertThat(received.get(0)).as("the snapshot comes first").isInstanceOf(AlertSnapshot.class);
        AlertSnapshot snapshot = (AlertSnapshot) received.get(0);
        AlertEvent pending = (AlertEvent) received.get(1);
        AlertEvent firing = (AlertEvent) received.get(2);
        assertThat(List.of(pending.to(), firing.to())).containsExactly("pending", "firing");
        assertThat(snapshot.history()).as("newest first").containsExactly(firing, pending);
        assertThat(snapshot.active()).singleElement().satisfies(a -> {
            assertThat(a.alertName()).isEqualTo("LossPrismLossNotFinite");
            assertThat(a.state()).isEqualTo(AlertState.FIRING);
        });

        vertx.eventBus().publish(Addresses.RUN_EVENT, new RunEvent("run-2", 0, "started"));
        awaitReceived(4);
        assertThat(received.get(3)).isEqualTo(AlertSnapshot.empty("run-2"));
    }

    private void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(received).as("messages received").hasSizeGreaterThanOrEqualTo(count);
    }

    private static BatchReport nanReport(long iteration) {
        List<ClassReport> classes = new ArrayList<>();
        for (String name : List.of("disc", "bar", "box", "ring", "speck")) {
            classes.add(new ClassReport(
                    classes.size(),
                    name,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    0.1,
                    10,
                    1,
                    1,
                    100,
                    0.5,
                    0.6,
                    0.9,
                    0.9));
        }
        return new BatchReport(
                "run-1",
                BatchReport.VERSION,
                "train",
                0,
                iteration,
                0L,
                16,
                "dl4j",
                Double.NaN,
                Double.NaN,
                Double.NaN,
                10,
                classes);
    }
}
