package io.lossprism.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Batch requests per run and client address: a token bucket per key ({@code perSecond} on average,
 * bursts of twice that), at most {@code maxKeys} keys remembered (least recently used go first). Says how
 * long a refused client should wait, for {@code Retry-After}.
 */
final class RunRateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, double[]> buckets;

    RunRateLimiter(double perSecond, int maxKeys, LongSupplier nanoClock) {
        this.perSecond = perSecond;
        this.burst = 2 * perSecond;
        this.nanoClock = nanoClock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Takes a token for {@code key}: 0 when allowed, else the whole seconds until one is available. */
    synchronized long acquire(String key) {
        long now = nanoClock.getAsLong();
        // {tokens, time of the last refill in nanoseconds}
        double[] bucket = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
        bucket[0] = Math.min(burst, bucket[0] + (now - bucket[1]) / 1e9 * perSecond);
        bucket[1] = now;
        if (bucket[0] >= 1) {
            bucket[0] -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - bucket[0]) / perSecond));
    }
}
