package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Where the training pool's time limit must be set for Vert.x to apply it, and that it is set there: a
 * long step or a long dataset load must not log a blocked-thread warning.
 */
class TrainingPoolTest {

    private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";

    @Test
    void trainingRunsAloneOnItsOwnWorkerPoolWithALongTimeLimit() {
        DeploymentOptions options = TrainingVerticle.deploymentOptions();
        assertThat(options.getThreadingModel()).isEqualTo(ThreadingModel.WORKER);
        assertThat(options.getWorkerPoolName()).isEqualTo(TrainingVerticle.POOL);
        assertThat(options.getWorkerPoolSize())
                .as("one thread: batches never overlap")
                .isEqualTo(1);
        assertThat(options.getMaxWorkerExecuteTimeUnit().toMinutes(options.getMaxWorkerExecuteTime()))
                .isEqualTo(TrainingVerticle.MAX_TASK_MINUTES);
    }

    /** The fact the options above rely on: a named pool takes its limit from the deployment, not from Vert.x. */
    @Test
    void vertxAppliesTheLimitOfTheDeploymentThatNamesThePool() throws Exception {
        List<String> generous = blockedWarnings(
                new VertxOptions().setMaxWorkerExecuteTime(100).setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS),
                TimeUnit.MINUTES.toMillis(5));
        assertThat(generous)
                .as("a 5-minute deployment limit, 100 ms in VertxOptions")
                .isEmpty();

        List<String> strict = blockedWarnings(
                new VertxOptions().setMaxWorkerExecuteTime(5).setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES), 100);
        assertThat(strict)
                .as("a 100 ms deployment limit, 5 minutes in VertxOptions")
                .isNotEmpty()
                .allSatisfy(w -> assertThat(w).contains("has been blocked for"));
    }

    /** The blocked-thread warnings logged while a verticle on a named pool blocks 600 ms in start(). */
    private static List<String> blockedWarnings(VertxOptions options, long deploymentLimitMillis) throws Exception {
        Logger checker = (Logger) LoggerFactory.getLogger(CHECKER);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        checker.addAppender(seen);
        Vertx vertx = Vertx.vertx(
                options.setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
        try {
            DeploymentOptions deployment = new DeploymentOptions()
                    .setThreadingModel(ThreadingModel.WORKER)
                    .setWorkerPoolName("pool-test-" + deploymentLimitMillis)
                    .setWorkerPoolSize(1)
                    .setMaxWorkerExecuteTime(deploymentLimitMillis)
                    .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS);
            vertx.deployVerticle(
                            new VerticleBase() {
                                @Override
                                public Future<?> start() throws Exception {
                                    Thread.sleep(600);
                                    return super.start();
                                }
                            },
                            deployment)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            checker.detachAppender(seen);
        }
        return seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
