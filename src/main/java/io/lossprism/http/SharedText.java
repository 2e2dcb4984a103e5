package io.lossprism.http;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text message encoded once and written to many sockets without copying: every client's frames are
 * slices of one buffer. Vert.x makes a text frame only from a String, which it encodes again for each
 * socket, so the message goes out as a short first text frame of its leading ASCII characters followed
 * by continuation frames of at most {@value #FRAME_BYTES} bytes (RFC 6455 allows any fragmentation).
 *
 * <p>The bytes live in direct memory: Netty copies a heap buffer into a direct one for every socket it
 * is written to, which for a long history is megabytes per client. The JDK frees that memory once the
 * message and every frame still queued are unreachable (Netty's reference counts play no part: Vert.x
 * treats a buffer it did not allocate as one nobody releases).
 */
final class SharedText {

    /** Bytes per continuation frame: few frames per message, and within what common clients accept. */
    static final int FRAME_BYTES = 64 * 1024;
    /** At most this many leading bytes go into the first frame, as a String. */
    private static final int HEAD_BYTES = 16;

    private final String head;
    private final Buffer body;

    private SharedText(String head, Buffer body) {
        this.head = head;
        this.body = body;
    }

    static SharedText of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int head = 0;
        while (head < Math.min(bytes.length, HEAD_BYTES) && bytes[head] >= 0) { // ASCII bytes are non-negative
            head++;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length - head);
        direct.put(bytes, head, bytes.length - head).flip();
        return new SharedText(
                new String(bytes, 0, head, StandardCharsets.US_ASCII),
                BufferInternal.buffer(Unpooled.wrappedBuffer(direct)));
    }

    /** The leading ASCII characters, sent as the first frame. */
    String head() {
        return head;
    }

    /** The rest of the message's UTF-8 bytes, shared by every socket it is written to. */
    Buffer body() {
        return body;
    }

    /** The message's length in UTF-8 bytes. */
    int bytes() {
        return head.length() + body.length();
    }

    /** Writes the whole message; its frames follow each other, as this runs on the socket's event loop. */
    void writeTo(ServerWebSocket socket) {
        int length = body.length();
        socket.writeFrame(WebSocketFrame.textFrame(head, length == 0));
        for (int from = 0; from < length; from += FRAME_BYTES) {
            int to = Math.min(length, from + FRAME_BYTES);
            socket.writeFrame(WebSocketFrame.continuationFrame(body.slice(from, to), to == length));
        }
    }
}
