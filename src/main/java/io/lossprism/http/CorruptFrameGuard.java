package io.lossprism.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.util.function.Consumer;

/**
 * Turns a frame that Netty's decoder refuses (over the frame limit, or malformed) into a proper close
 * with the decoder's status code. Left alone, Vert.x drops the connection at once; the kernel then
 * answers the rest of the client's frame, still unread, with a TCP reset, and the client sees no close
 * code at all. Caught here, the socket closes as any other, while the decoder reads on and discards
 * what the client still sends, until the client closes or the closing timeout passes.
 *
 * <p>Vert.x has no public hook for this: the handler goes into the connection's Netty pipeline, just
 * before Vert.x's own, found through Vert.x's implementation classes (the router wraps the request and
 * the socket, but not the connection).
 */
final class CorruptFrameGuard extends ChannelInboundHandlerAdapter {

    private final Consumer<CorruptedWebSocketFrameException> onCorrupt;

    private CorruptFrameGuard(Consumer<CorruptedWebSocketFrameException> onCorrupt) {
        this.onCorrupt = onCorrupt;
    }

    /**
     * Installs the guard on an upgraded WebSocket connection.
     *
     * @param connection the connection of the request that was upgraded
     * @param onCorrupt  called on the event loop with what the decoder refused; it closes the socket
     */
    static void install(HttpConnection connection, Consumer<CorruptedWebSocketFrameException> onCorrupt) {
        ChannelPipeline pipeline = ((HttpServerConnection) connection)
                .channelHandlerContext()
                .channel()
                .pipeline();
        ChannelHandlerContext vertx = pipeline.context(VertxHandler.class);
        if (vertx == null) {
            throw new IllegalStateException("no Vert.x handler in the connection's pipeline " + pipeline.names());
        }
        pipeline.addBefore(vertx.name(), "lossprism-corrupt-frame-guard", new CorruptFrameGuard(onCorrupt));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException e) {
            onCorrupt.accept(e);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
