package io.lossprism.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.BiFunction;

/**
 * One of the HTTP server's instances, on its own event loop: its server shares the port with the others
 * (Vert.x hands new connections to them in turn), and it has its own router and its own {@link LiveFeed}
 * for the sockets it accepted; the rest is shared through the {@link FeedHub} and what the routes use.
 */
final class HttpLoop extends VerticleBase {

    private final HttpServerOptions options;
    private final FeedHub hub;
    private final LiveFeedRuns runs;
    private final ControlHandler controls;
    private final BiFunction<Vertx, LiveFeed, Router> routes;

    private LiveFeed feed;
    private HttpServer server;

    /** @param routes the router of one loop, given its feed */
    HttpLoop(
            HttpServerOptions options,
            FeedHub hub,
            LiveFeedRuns runs,
            ControlHandler controls,
            BiFunction<Vertx, LiveFeed, Router> routes) {
        this.options = options;
        this.hub = hub;
        this.runs = runs;
        this.controls = controls;
        this.routes = routes;
    }

    @Override
    public Future<?> start() {
        feed = new LiveFeed(hub, runs, controls); // joins the hub on this loop
        return vertx.createHttpServer(options)
                .requestHandler(routes.apply(vertx, feed))
                .listen()
                .onSuccess(s -> server = s)
                .onFailure(e -> feed.close());
    }

    @Override
    public Future<?> stop() {
        feed.close();
        return Future.succeededFuture();
    }

    /** This instance's connected feed clients, counted on its loop. */
    Future<Integer> clients() {
        Promise<Integer> count = Promise.promise();
        context.runOnContext(v -> count.complete(feed.clients()));
        return count.future();
    }

    /** The port this instance's server listens on. */
    int port() {
        return server.actualPort();
    }
}
