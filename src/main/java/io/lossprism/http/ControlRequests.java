package io.lossprism.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one feed client sends: only {@code control} messages, small and few. A message over
 * {@value #MAX_MESSAGE_BYTES} bytes, over the rate, binary, or not a JSON object closes the socket with
 * 1008 (policy violation): no well-behaved client sends one. A JSON object that is not a known control
 * is answered with a {@code control-result} that is not ok, so a client can tell what it got wrong.
 */
final class ControlRequests {

    /**
     * The server options refuse larger frames and messages: the socket's exception handler hears of
     * them and closes with 1008. Checked here again so that this class holds alone.
     */
    static final int MAX_MESSAGE_BYTES = 4096;
    static final int BURST = 10;
    static final double PER_SECOND = 5;
    static final short POLICY_VIOLATION = 1008;

    private static final Set<String> ACTIONS = Set.of("pause", "resume", "stop");
    private static final Logger LOG = LoggerFactory.getLogger(ControlRequests.class);

    private final ServerWebSocket socket;
    private final ClientChannel channel;
    private final ControlHandler controls;
    private final TokenBucket bucket;
    private final Context context;
    private final Thread eventLoop;

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
        socket.textMessageHandler(this::onText);
        socket.binaryMessageHandler(this::onBinary);
        socket.exceptionHandler(this::onError);
    }

    void onText(String text) {
        if (!admitted(text.getBytes(StandardCharsets.UTF_8).length)) {
            return;
        }
        JsonObject message;
        try {
            message = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            refuse("not a JSON object");
            return;
        }
        String requestId = string(message, "requestId");
        String action = string(message, "action");
        if (!"control".equals(message.getValue("type"))) {
            channel.controlResult(FeedMessages.controlResult(requestId, action, false, "unknown message type"));
        } else if (action == null || !ACTIONS.contains(action)) {
            channel.controlResult(FeedMessages.controlResult(requestId, action, false,
                    "action must be pause, resume or stop"));
        } else {
            control(action, string(message, "token"))
                    .onComplete(result -> onEventLoop(() -> answer(requestId, action, result)));
        }
    }

    void onBinary(Buffer data) {
        if (admitted(data.length())) {
            refuse("binary messages are not accepted");
        }
    }

    /**
     * A frame or message over the server's limit arrives here, and so does a broken connection; either
     * way the client is done. Without this Vert.x drops the connection without a close code (1006).
     */
    void onError(Throwable e) {
        LOG.debug("feed client {}: {}", socket.remoteAddress(), e.toString());
        refuse("unreadable message");
    }

    private boolean admitted(int bytes) {
        if (!bucket.tryTake()) {
            refuse("too many messages");
            return false;
        }
        if (bytes > MAX_MESSAGE_BYTES) {
            refuse("message over " + MAX_MESSAGE_BYTES + " bytes");
            return false;
        }
        return true;
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
            channel.controlResult(FeedMessages.controlResult(requestId, action, false, result.cause().getMessage()));
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

    private void refuse(String reason) {
        if (!socket.isClosed()) {
            socket.close(POLICY_VIOLATION, reason);
        }
    }

    private static String string(JsonObject json, String key) {
        return json.getValue(key) instanceof String s ? s : null;
    }
}
