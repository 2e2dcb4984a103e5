package io.lossprism.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The tests that check "no ERROR logged" pass trivially unless the capture sees lines: it does. */
class CapturedLogTest {

    @Test
    void capturesLinesAtOrAboveALevelWhileRegistered() {
        CapturedLog log = new CapturedLog();
        org.slf4j.Logger logger = LoggerFactory.getLogger(CapturedLogTest.class);
        log.beforeEach(null);
        logger.warn("a warning");
        logger.error("an error");
        log.afterEach(null);
        logger.error("after the test");
        assertThat(log.atLeast(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("a warning", "an error");
        assertThat(log.atLeast(Level.ERROR))
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("an error");
    }
}
