package io.lossprism.http;

import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one feed client is still owed, bounded whatever its speed (docs/protocol.md, "Slow clients").
 * While its socket's write queue is full nothing more is written: batch reports are not queued but
 * remembered as a gap per split, filled by one {@code history} message once the socket drains; status
 * and samples keep only the latest; alerts keep the newest {@value #MAX_ALERTS}. A split whose opening
 * history is still to come owes no gap: that history will hold what was skipped.
 *
 * <p>Runs on its socket's event loop only, like the socket's own handlers; the {@link ReportHistory} it
 * reads is shared by every loop.
 */
final class ClientChannel {

    static final int MAX_ALERTS = 64;
    /** Rate limiting keeps these few; the bound only matters for a client that sends but never reads. */
    static final int MAX_CONTROL_RESULTS = 16;

    private final ServerWebSocket socket;
    private ReportHistory history;
    private final int historyPoints;
    /** Per split, the last iteration this client has been sent. */
    private final Map<String, Long> lastSent = new HashMap<>();
    /** Splits whose batches were skipped since {@link #lastSent}. */
    private final Set<String> gaps = new LinkedHashSet<>();
    /** Splits whose opening history is still to come. */
    private final Set<String> awaiting = new HashSet<>();

    private final Deque<SharedText> alerts = new ArrayDeque<>();
    private final Deque<SharedText> controlResults = new ArrayDeque<>();
    private SharedText status;
    private SharedText samples;
    private long dropped;

    /** @param drained called after each time the socket's write queue drained and what was owed went out */
    ClientChannel(ServerWebSocket socket, ReportHistory history, int historyPoints, Runnable drained) {
        this.socket = socket;
        this.history = history;
        this.historyPoints = historyPoints;
        socket.drainHandler(v -> {
            flush();
            drained.run();
        });
    }

    /**
     * The client follows another run now: reports come from that run's history, and nothing of the old one
     * is owed any more; the opening sequence of the new run follows.
     */
    void follow(ReportHistory runHistory) {
        history = runHistory;
        lastSent.clear();
        gaps.clear();
        awaiting.clear();
        alerts.clear();
        status = null;
        samples = null;
    }

    /** Whether the socket's write queue is full: what was written is still on its way. */
    boolean sending() {
        return !socket.isClosed() && socket.writeQueueFull();
    }

    /** Writes a message of the connection's opening sequence, whatever the write queue holds. */
    void open(String text) {
        socket.writeTextMessage(text);
    }

    /** Writes a shared message of the connection's opening sequence, whatever the write queue holds. */
    void open(SharedText text) {
        text.writeTo(socket);
    }

    /**
     * The client is live before its opening history comes: until {@link #openHistory} for a split, its
     * batches are written when the socket takes them and otherwise skipped, never owed as a gap, since
     * that history will hold them.
     */
    void awaitHistory(Collection<String> splits) {
        awaiting.addAll(splits);
    }

    /** Whether the opening history of some split is still to come. */
    boolean awaitingHistory() {
        return !awaiting.isEmpty();
    }

    /**
     * Writes a split's opening history from the shared snapshot and the shared message of the reports
     * after it (null: none), and remembers how far that reaches.
     */
    void openHistory(String split, OpeningHistory.Snapshot snapshot, SharedText tail) {
        gaps.remove(split); // the opening covers it
        awaiting.remove(split);
        snapshot.message().writeTo(socket);
        if (tail != null) {
            tail.writeTo(socket);
        }
        lastSent.put(split, Math.max(snapshot.last(), history.last(split)));
    }

    /** Writes the opening history of a split after an iteration and remembers how far it reaches. */
    void openHistory(String split, long after) {
        gaps.remove(split); // this history covers it
        awaiting.remove(split);
        socket.writeTextMessage(FeedMessages.history(history.since(split, after, historyPoints)));
        lastSent.put(split, Math.max(after, history.last(split)));
    }

    /** A live batch report, already in the history. */
    void batch(String split, long iteration, SharedText json) {
        if (socket.isClosed()) {
            return;
        }
        boolean owed = gaps.contains(split);
        boolean ready = ready(); // flushes what it can, maybe this split's gap
        if (awaiting.contains(split)) {
            if (ready) {
                json.writeTo(socket); // live at once; the opening history will hold it too
            }
            return;
        }
        if (owed) {
            return; // that gap, flushed just now or later, ends with this very report
        }
        if (iteration <= lastSent.getOrDefault(split, 0L)) {
            // a history message sent before holds it: the run's history is shared by every loop and is
            // ahead of the live messages still queued for this one
            return;
        }
        if (ready) {
            json.writeTo(socket);
            lastSent.put(split, iteration);
        } else {
            gaps.add(split);
        }
    }

    /** Conflated: a client that cannot take it now gets only the latest later. */
    void status(SharedText json) {
        if (!sentNow(json)) {
            status = json;
        }
    }

    /** Conflated like status; samples are large and only the latest matters. */
    void samples(SharedText json) {
        if (!sentNow(json)) {
            samples = json;
        }
    }

    void alert(SharedText json) {
        offer(alerts, MAX_ALERTS, json);
    }

    void controlResult(String json) {
        offer(controlResults, MAX_CONTROL_RESULTS, SharedText.of(json));
    }

    /** Messages and gaps waiting for the socket to drain; bounded by construction. */
    int queued() {
        return gaps.size()
                + alerts.size()
                + controlResults.size()
                + (status == null ? 0 : 1)
                + (samples == null ? 0 : 1);
    }

    /** Alerts and control results dropped, oldest first, because the client did not read them in time. */
    long dropped() {
        return dropped;
    }

    /** Whether batch reports have been skipped for this client since it last caught up. */
    boolean behind() {
        return !gaps.isEmpty();
    }

    private void offer(Deque<SharedText> queue, int max, SharedText json) {
        if (sentNow(json)) {
            return;
        }
        if (queue.size() == max) {
            queue.removeFirst();
            dropped++;
        }
        queue.addLast(json);
    }

    /** Writes at once when nothing is owed and the socket takes it; a closed socket swallows everything. */
    private boolean sentNow(SharedText json) {
        if (socket.isClosed()) {
            return true;
        }
        if (ready()) {
            json.writeTo(socket);
            return true;
        }
        return false;
    }

    /** True when nothing is owed and the socket takes more: what comes now can be written in order. */
    private boolean ready() {
        if (socket.writeQueueFull()) {
            return false;
        }
        flush();
        return queued() == 0 && !socket.writeQueueFull();
    }

    /** Writes what is owed until the socket is full again: gaps first, so charts are whole, then the rest. */
    private void flush() {
        while (queued() > 0 && !socket.isClosed() && !socket.writeQueueFull()) {
            next().writeTo(socket);
        }
    }

    private SharedText next() {
        if (!gaps.isEmpty()) {
            String split = gaps.iterator().next();
            gaps.remove(split);
            HistorySlice gap = history.since(split, lastSent.getOrDefault(split, 0L), historyPoints);
            lastSent.put(split, history.last(split));
            return SharedText.of(FeedMessages.history(gap));
        }
        if (!alerts.isEmpty()) {
            return alerts.removeFirst();
        }
        if (!controlResults.isEmpty()) {
            return controlResults.removeFirst();
        }
        if (samples != null) {
            SharedText text = samples;
            samples = null;
            return text;
        }
        SharedText text = status;
        status = null;
        return text;
    }
}
