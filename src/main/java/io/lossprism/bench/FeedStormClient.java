package io.lossprism.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * One dashboard of a connect storm, tallied from frames rather than parsed messages, so that the
 * client's own cost stays small next to the server's: when its opening sequence ended (the
 * {@code alerts} message), how many bytes that took, and when the first live data came after it
 * (a {@code batch}, or a {@code history} that fills the gap of a client that was behind).
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
        if (openedAt == NONE) {
            if ("alerts".equals(messageType)) {
                openedAt = now;
            }
        } else if (liveAt == NONE && ("batch".equals(messageType) || "history".equals(messageType))) {
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

    /** Bytes of hello, histories and alerts, as the client read them (after any decompression). */
    synchronized long openingBytes() {
        return openingBytes;
    }

    synchronized long bytes() {
        return bytes;
    }
}
