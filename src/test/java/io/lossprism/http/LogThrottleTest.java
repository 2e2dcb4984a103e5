package io.lossprism.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogThrottleTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("LogThrottleTest");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong();
    private final LogThrottle throttle = new LogThrottle(logger, 10, TimeUnit.SECONDS, now::get);

    LogThrottleTest() {
        lines.start();
        logger.addAppender(lines);
    }

    @Test
    void oneLinePerKindAndIntervalThenTheCountLeftOut() {
        for (int i = 0; i < 500; i++) {
            throttle.warn("bad", "bad request " + i);
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10)); // 500 in 5 s
        }
        throttle.warn("other", "another kind");
        now.set(TimeUnit.SECONDS.toNanos(10));
        throttle.warn("bad", "bad request again");

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "bad request 0",
                        "another kind",
                        "bad request again (499 more like it in the last 10 s not logged)");
    }

    @Test
    void errorsKeepTheirStackTraceAndAreThrottledAlike() {
        throttle.error("fault", "it broke", new IllegalStateException("x"));
        throttle.error("fault", "it broke", new IllegalStateException("x"));
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getThrowableProxy().getClassName()).isEqualTo("java.lang.IllegalStateException");
    }
}
