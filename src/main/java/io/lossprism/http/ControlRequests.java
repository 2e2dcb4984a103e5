package io.lossprism.http;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one feed client sends: only {@code control} messages, small and few. Read frame by frame, so
 * that every frame counts against the rate, pings included, and the text is checked as UTF-8 before it
 * is decoded. Closes the socket with 1009 (message too big) for a message over
 * {@value #MAX_MESSAGE_BYTES} bytes, 1007 (invalid payload) for text that is not UTF-8, 1002 for a
 * malformed frame, and 1008 (policy violation) for frames over the rate, a binary message, or text that
 * is not a JSON object: no well-behaved client sends one. A JSON object that is not a known control is
 * answered with a {@code control-result} that is not ok, so a client can tell what it got wrong.
 */
final class ControlRequests {

    static final int MAX_MESSAGE_BYTES = 4096;
    /** Frames, not messages: a browser sends each message in one frame, pings and pongs count too. */
    static final int BURST = 10;

    static final double PER_SECOND = 5;
    /** How long a closing socket waits for the client's close frame before it drops the connection. */
    static final int CLOSING_TIMEOUT_SECONDS = 3;

    static final short INVALID_PAYLOAD = 1007;
    static final short POLICY_VIOLATION = 1008;
    static final short MESSAGE_TOO_BIG = 1009;

    private static final Set<String> ACTIONS = Set.of("pause", "resume", "stop");
    private static final Logger LOG = LoggerFactory.getLogger(ControlRequests.class);

    private final ServerWebSocket socket;
    private final ClientChannel channel;
    private final ControlHandler controls;
    private final TokenBucket bucket;
    private final Context context;
    private final Thread eventLoop;
    /** The text message being received, frame by frame; null between messages. */
    private Buffer message;

    private boolean refused;

    ControlRequests(ServerWebSocket socket, ClientChannel channel, ControlHandler controls, TokenBucket bucket) {
        this.socket = socket;
        this.channel = channel;
        this.controls = controls;
        this.bucket = bucket;
        this.context = Vertx.currentContext();
        this.eventLoop = Thread.currentThread();
    }

    /** Installs the socket's inbound handlers. */
    void listen() {
        socket.frameHandler(this::onFrame);
        socket.exceptionHandler(this::onError);
    }

    /** A frame the decoder refused (see {@link CorruptFrameGuard}): closed with the decoder's code. */
    void onCorruptFrame(CorruptedWebSocketFrameException e) {
        short code = (short) e.closeStatus().code();
        LOG.debug("feed client {}: {}", socket.remoteAddress(), e.getMessage());
        refuse(code, code == MESSAGE_TOO_BIG ? "frame over " + SharedText.FRAME_BYTES + " bytes" : "malformed frame");
    }

    void onFrame(WebSocketFrame frame) {
        if (refused || frame.isClose()) {
            return;
        }
        if (!bucket.tryTake()) {
            refuse(POLICY_VIOLATION, "too many messages");
            return;
        }
        if (frame.isBinary()) {
            refuse(POLICY_VIOLATION, "binary messages are not accepted");
            return;
        }
        if (frame.isText()) {
            message = Buffer.buffer();
        } else if (!frame.isContinuation() || message == null) {
            return; // a ping (Vert.x has answered it) or a pong: counted, nothing else to do
        }
        message.appendBuffer(frame.binaryData());
        if (message.length() > MAX_MESSAGE_BYTES) {
            refuse(MESSAGE_TOO_BIG, "message over " + MAX_MESSAGE_BYTES + " bytes");
        } else if (frame.isFinal()) {
            Buffer complete = message;
            message = null;
            onText(complete);
        }
    }

    private void onText(Buffer bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.getBytes()))
                    .toString();
        } catch (CharacterCodingException e) {
            refuse(INVALID_PAYLOAD, "text is not valid UTF-8");
            return;
        }
        JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            refuse(POLICY_VIOLATION, "not a JSON object");
            return;
        }
        String requestId = string(json, "requestId");
        String action = string(json, "action");
        if (!"control".equals(json.getValue("type"))) {
            channel.controlResult(FeedMessages.controlResult(requestId, action, false, "unknown message type"));
        } else if (action == null || !ACTIONS.contains(action)) {
            channel.controlResult(
                    FeedMessages.controlResult(requestId, action, false, "action must be pause, resume or stop"));
        } else {
            control(action, string(json, "token"))
                    .onComplete(result -> onEventLoop(() -> answer(requestId, action, result)));
        }
    }

    /** A broken connection: the client is done. */
    void onError(Throwable e) {
        LOG.debug("feed client {}: {}", socket.remoteAddress(), e.toString());
        refuse(POLICY_VIOLATION, "unreadable message");
    }

    private Future<JsonObject> control(String action, String token) {
        try {
            return controls.control(action, token);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private void answer(String requestId, String action, AsyncResult<JsonObject> result) {
        if (result.failed()) {
            channel.controlResult(FeedMessages.controlResult(
                    requestId, action, false, result.cause().getMessage()));
            return;
        }
        JsonObject json = result.result() == null ? new JsonObject() : result.result();
        boolean ok = Boolean.TRUE.equals(json.getValue("ok"));
        channel.controlResult(FeedMessages.controlResult(requestId, action, ok, string(json, "error")));
    }

    /** The feed is single-threaded; a handler may complete its future elsewhere. */
    private void onEventLoop(Runnable action) {
        if (Thread.currentThread() == eventLoop || context == null) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /** Closes with a code and reason, once; the client's close frame or the closing timeout ends the connection. */
    private void refuse(short code, String reason) {
        refused = true;
        message = null;
        if (!socket.isClosed()) {
            socket.close(code, reason);
        }
    }

    private static String string(JsonObject json, String key) {
        return json.getValue(key) instanceof String s ? s : null;
    }
}
