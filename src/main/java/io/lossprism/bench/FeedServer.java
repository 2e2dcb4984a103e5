package io.lossprism.bench;

import io.lossprism.bus.Codecs;
import io.lossprism.config.AppConfig;
import io.lossprism.http.AccessToken;
import io.lossprism.http.HttpVerticle;
import io.lossprism.runs.LiveRuns;
import io.lossprism.runs.RunManager;
import io.lossprism.store.RunStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real HTTP server of the feed benchmarks, with an empty store and no run: reports come from the
 * benchmark, not from training.
 */
final class FeedServer {

    static final String TOKEN = "feed-benchmark-token";

    private FeedServer() {}

    /** Registers the codecs on {@code server} and deploys the HTTP verticle; the verticle once it listens. */
    static Future<HttpVerticle> start(Vertx server, AppConfig config, RunStore store, Path storage) {
        Codecs.register(server.eventBus());
        RunManager runs = new RunManager(config, Map.of(), store, c -> {
            throw new IllegalStateException("the feed benchmark trains nothing");
        }); // not deployed: no run
        HttpVerticle http = new HttpVerticle(
                config,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                AccessToken.resolve(TOKEN, storage),
                store,
                runs,
                LiveRuns.follow(server.eventBus()));
        return server.deployVerticle(http).map(id -> http);
    }
}
