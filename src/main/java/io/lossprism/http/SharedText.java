package io.lossprism.http;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A text message encoded once and written to many sockets without copying: every client's frames are
 * slices of one buffer. Vert.x's public API makes a text frame only from a String, which it encodes
 * again for each socket (for a live batch sent to 200 clients, 200 encodings and 200 heap copies), so
 * the frames are made with Vert.x's own frame class from the shared bytes: one text frame, or for a
 * message over {@value #FRAME_BYTES} bytes a text frame followed by continuation frames of at most that
 * (RFC 6455 allows any fragmentation).
 *
 * <p>The bytes live in direct memory: Netty copies a heap buffer into a direct one for every socket it
 * is written to, which for a long history is megabytes per client. The JDK frees that memory once the
 * message and every frame still queued are unreachable (Netty's reference counts play no part: Vert.x
 * treats a buffer it did not allocate as one nobody releases).
 */
final class SharedText {

    /** Bytes per frame: few frames per message, and within what common clients accept. */
    static final int FRAME_BYTES = 64 * 1024;

    private final Buffer body;

    private SharedText(Buffer body) {
        this.body = body;
    }

    static SharedText of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        return new SharedText(BufferInternal.buffer(Unpooled.wrappedBuffer(direct)));
    }

    /** The message's UTF-8 bytes, shared by every socket it is written to. */
    Buffer body() {
        return body;
    }

    /** The message's length in UTF-8 bytes. */
    int bytes() {
        return body.length();
    }

    /** Writes the whole message; its frames follow each other, as this runs on the socket's event loop. */
    void writeTo(ServerWebSocket socket) {
        int length = body.length();
        int first = Math.min(length, FRAME_BYTES);
        socket.writeFrame(frame(WebSocketFrameType.TEXT, body.slice(0, first), first == length));
        for (int from = first; from < length; from += FRAME_BYTES) {
            int to = Math.min(length, from + FRAME_BYTES);
            socket.writeFrame(frame(WebSocketFrameType.CONTINUATION, body.slice(from, to), to == length));
        }
    }

    private static WebSocketFrame frame(WebSocketFrameType type, Buffer data, boolean isFinal) {
        return new WebSocketFrameImpl(type, ((BufferInternal) data).getByteBuf(), isFinal);
    }
}
