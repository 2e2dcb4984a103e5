package io.lossprism.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Keeps warnings that any client can provoke from flooding the log: per kind, one line per interval, and the
 * next line says how many like it were left out meanwhile. Thread-safe (event loops share it).
 */
final class LogThrottle {

    /** Kinds remembered; a flood of distinct kinds cannot grow memory. */
    private static final int MAX_KINDS = 1000;

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, long[]> kinds = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_KINDS;
        }
    };

    LogThrottle(Logger log, long interval, TimeUnit unit, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
        this.nanoClock = nanoClock;
    }

    /** A WARN line for {@code kind}, or none when one was written within the interval. */
    void warn(String kind, String message) {
        String line = admit(kind, message);
        if (line != null) {
            log.warn(line);
        }
    }

    /** An ERROR line with the stack trace for {@code kind}, or none when one was written within the interval. */
    void error(String kind, String message, Throwable cause) {
        String line = admit(kind, message);
        if (line != null) {
            log.error(line, cause);
        }
    }

    private synchronized String admit(String kind, String message) {
        long now = nanoClock.getAsLong();
        long[] state = kinds.get(kind); // {time of the last line, lines left out since}
        if (state != null && now - state[0] < intervalNanos) {
            state[1]++;
            return null;
        }
        long leftOut = state == null ? 0 : state[1];
        kinds.put(kind, new long[] {now, 0});
        return leftOut == 0
                ? message
                : message + " (" + leftOut + " more like it in the last "
                        + TimeUnit.NANOSECONDS.toSeconds(now - state[0]) + " s not logged)";
    }
}
