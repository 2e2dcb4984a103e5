package io.lossprism.http;

import java.util.function.LongSupplier;

/**
 * Allows a burst of {@code capacity} events, then {@code perSecond} on average. Thread-safe: the opening
 * pace and the rate limiter's buckets are taken from every HTTP event loop.
 */
final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;

    TokenBucket(int capacity, double perSecond, LongSupplier nanoClock) {
        if (capacity < 1 || !(perSecond > 0)) {
            throw new IllegalArgumentException("capacity >= 1 and perSecond > 0, got " + capacity + ", " + perSecond);
        }
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** Takes one token if there is one. */
    synchronized boolean tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
