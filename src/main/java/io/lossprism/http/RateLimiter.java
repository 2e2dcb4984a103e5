package io.lossprism.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A {@link TokenBucket} per client key (an address): {@code perSecond} requests a second on average,
 * bursts of up to {@code burst}. Remembers at most {@code maxClients} keys (least recently seen go
 * first), so many addresses cannot grow its memory. Thread-safe: one limiter serves every HTTP event loop,
 * so a client whose connections land on several loops still gets one budget.
 */
final class RateLimiter {

    private final int burst;
    private final double perSecond;
    private final LongSupplier nanoClock;
    private final Map<String, TokenBucket> buckets;

    RateLimiter(double perSecond, int burst, int maxClients, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Takes one token for {@code key}; false when the key is over its rate. */
    synchronized boolean allow(String key) {
        return buckets.computeIfAbsent(key, k -> new TokenBucket(burst, perSecond, nanoClock))
                .tryTake();
    }
}
