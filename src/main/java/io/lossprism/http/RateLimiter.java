package io.lossprism.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per client key (an address): {@code perSecond} requests a second on average, bursts
 * of up to {@code burst}. Remembers at most {@code maxClients} keys (least recently seen go first), so
 * many addresses cannot grow its memory. Not thread-safe: used from one event loop.
 */
final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }

    RateLimiter(double perSecond, double burst, int maxClients) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Takes one token for {@code key} at time {@code nanos}; false when the key is over its rate. */
    boolean allow(String key, long nanos) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nanos));
        double elapsed = Math.max(0, nanos - bucket.lastNanos) / 1e9;
        bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
        bucket.lastNanos = nanos;
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }
}
