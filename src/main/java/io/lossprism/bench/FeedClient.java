package io.lossprism.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.LongStream;

/**
 * One benchmark client's tally: for each iteration, the latency from its publication to its first
 * arrival, live or in a history message that filled a gap.
 */
final class FeedClient {

    private static final long MISSING = -1;

    private final AtomicLongArray publishedAt;
    private final long[] latency;
    private final boolean[] viaHistory;
    private int histories;

    /** @param publishedAt System.nanoTime() of each iteration's publication, by iteration */
    FeedClient(AtomicLongArray publishedAt) {
        this.publishedAt = publishedAt;
        this.latency = new long[publishedAt.length()];
        this.viaHistory = new boolean[publishedAt.length()];
        Arrays.fill(latency, MISSING);
    }

    /** Called by the client's event loop for every text message. */
    synchronized void onText(String text) {
        long now = System.nanoTime(); // before parsing: parsing is the client's cost, not the feed's
        JsonObject message = new JsonObject(text);
        switch (message.getString("type", "")) {
            case "batch" -> record(message.getLong("iteration"), now, false);
            case "history" -> {
                histories++;
                // columnar since feed protocol 2: one array of iterations (docs/protocol.md)
                JsonArray iterations = message.getJsonArray("iteration", new JsonArray());
                for (int i = 0; i < iterations.size(); i++) {
                    record(iterations.getLong(i), now, true);
                }
            }
            default -> {}
        }
    }

    private void record(long iteration, long now, boolean fromHistory) {
        if (iteration < 1 || iteration >= latency.length || latency[(int) iteration] != MISSING) {
            return;
        }
        latency[(int) iteration] = now - publishedAt.get((int) iteration);
        viaHistory[(int) iteration] = fromHistory;
    }

    /** Latencies in nanoseconds of the iterations in [from, to] that arrived. */
    synchronized LongStream latencies(int from, int to) {
        return Arrays.stream(Arrays.copyOfRange(latency, from, to + 1)).filter(l -> l != MISSING);
    }

    /** How many iterations in [from, to] arrived inside history messages. */
    synchronized int viaHistory(int from, int to) {
        int count = 0;
        for (int i = from; i <= to; i++) {
            count += viaHistory[i] ? 1 : 0;
        }
        return count;
    }

    /** History messages, including the two of the opening sequence. */
    synchronized int histories() {
        return histories;
    }

    synchronized boolean has(int iteration) {
        return latency[iteration] != MISSING;
    }
}
