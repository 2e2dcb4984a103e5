package io.lossprism.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * WebSocket upgrades waiting for their turn, a few per turn of the event loop, in order of arrival. A
 * crowd of dashboards connecting at once sends its upgrade requests together; done in the request
 * handler, each upgrade (handshake, hello, handlers) would run back to back in one pass over the ready
 * connections, and a status request read in the same pass would wait for all of them. Queued here,
 * that pass only reads and routes the requests; the upgrades follow on later turns, with whatever else
 * is ready served in between.
 *
 * <p>Not thread-safe: one per HTTP event loop ({@link LiveFeed}), used on that loop only; a loop's turns
 * are its own, so the queue is too.
 */
final class UpgradeQueue {

    /** Upgrades done per turn at most: about a millisecond each, so a turn holds the loop a few. */
    static final int PER_TURN = 4;

    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private final Consumer<Runnable> nextTurn;
    private final int perTurn;
    private boolean scheduled;

    /**
     * @param nextTurn runs its argument on a later turn of the event loop, after the I/O ready then
     * @param perTurn  upgrades per turn at most
     */
    UpgradeQueue(Consumer<Runnable> nextTurn, int perTurn) {
        if (perTurn < 1) {
            throw new IllegalArgumentException("perTurn must be at least 1, got " + perTurn);
        }
        this.nextTurn = nextTurn;
        this.perTurn = perTurn;
    }

    /** Queues an upgrade; it runs on a later turn, never now. */
    void add(Runnable upgrade) {
        waiting.addLast(upgrade);
        schedule();
    }

    /** Upgrades still waiting for their turn. */
    int waiting() {
        return waiting.size();
    }

    private void schedule() {
        if (!scheduled && !waiting.isEmpty()) {
            scheduled = true;
            nextTurn.accept(this::turn);
        }
    }

    private void turn() {
        scheduled = false;
        try {
            for (int i = 0; i < perTurn && !waiting.isEmpty(); i++) {
                waiting.removeFirst().run();
            }
        } finally {
            schedule(); // one upgrade failing must not strand the others
        }
    }
}
