package io.lossprism.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * One dashboard of a connect storm, tallied from frames rather than parsed messages, so that the
 * client's own cost stays small next to the server's: when its opening sequence ended (the
 * {@code alerts} message), how many bytes came until then, and when the first live data came: a
 * {@code batch} at any time (protocol 3 sends them before the opening), or a {@code history} after
 * the opening that fills the gap of a client that was behind.
 */
final class FeedStormClient {

    private static final byte[] TYPE_KEY = "\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    /** The type comes first in every feed message; look no further than this for it. */
    private static final int TYPE_SEARCH_BYTES = 256;

    private static final long NONE = -1;

    private final long connectStart;
    private long openedAt = NONE;
    private long liveAt = NONE;
    private long openingBytes;
    private long bytes;
    private String messageType = "";

    /** @param connectStart System.nanoTime() just before this client's connect */
    FeedStormClient(long connectStart) {
        this.connectStart = connectStart;
    }

    /** Called by the client's event loop for every frame. */
    synchronized void onFrame(WebSocketFrame frame) {
        long now = System.nanoTime();
        if (frame.isText() || frame.isBinary()) {
            messageType = typeOf(frame.binaryData());
        } else if (!frame.isContinuation()) {
            return; // ping, pong, close
        }
        int length = frame.binaryData().length();
        bytes += length;
        if (openedAt == NONE) {
            openingBytes += length;
        }
        if (frame.isFinal()) {
            onMessage(now);
        }
    }

    private void onMessage(long now) {
        boolean opened = openedAt != NONE;
        if (!opened && "alerts".equals(messageType)) {
            openedAt = now;
        }
        if (liveAt == NONE && ("batch".equals(messageType) || (opened && "history".equals(messageType)))) {
            liveAt = now;
        }
    }

    /** The {@code type} field's value near the start of a message's first frame; empty when not found. */
    static String typeOf(Buffer data) {
        int end = Math.min(data.length(), TYPE_SEARCH_BYTES);
        outer:
        for (int at = 0; at + TYPE_KEY.length <= end; at++) {
            for (int k = 0; k < TYPE_KEY.length; k++) {
                if (data.getByte(at + k) != TYPE_KEY[k]) {
                    continue outer;
                }
            }
            int from = at + TYPE_KEY.length;
            for (int to = from; to < end; to++) {
                if (data.getByte(to) == '"') {
                    return data.getString(from, to, "US-ASCII");
                }
            }
            return "";
        }
        return "";
    }

    synchronized boolean live() {
        return liveAt != NONE;
    }

    /** Nanoseconds from connect to the first live data; -1 when none came. */
    synchronized long toLive() {
        return liveAt == NONE ? NONE : liveAt - connectStart;
    }

    /** Nanoseconds from connect to the end of the opening sequence; -1 when it did not end. */
    synchronized long toOpened() {
        return openedAt == NONE ? NONE : openedAt - connectStart;
    }

    /** Bytes until the end of the opening (live messages before it included), as read (after any inflation). */
    synchronized long openingBytes() {
        return openingBytes;
    }

    synchronized long bytes() {
        return bytes;
    }
}
