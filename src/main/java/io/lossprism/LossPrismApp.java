package io.lossprism;

import io.lossprism.alert.AlertVerticle;
import io.lossprism.alert.rules.RuleSettings;
import io.lossprism.bus.Codecs;
import io.lossprism.config.AppConfig;
import io.lossprism.config.ConfigLoader;
import io.lossprism.http.AccessToken;
import io.lossprism.http.HttpVerticle;
import io.lossprism.ingest.IngestVerticle;
import io.lossprism.metrics.AlertMetrics;
import io.lossprism.metrics.LossMetrics;
import io.lossprism.metrics.MetricsVerticle;
import io.lossprism.runs.LiveRuns;
import io.lossprism.runs.RunManager;
import io.lossprism.store.RunHistory;
import io.lossprism.store.RunStore;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running LossPrism: one Vert.x instance, its metrics registry, and one verticle per concern (metrics,
 * HTTP, alerts, runs), which talk through the event bus. Wiring only: it builds them and deploys them.
 */
public final class LossPrismApp {

    private static final Logger LOG = LoggerFactory.getLogger(LossPrismApp.class);

    private final Vertx vertx;
    private final HttpVerticle http;
    private final PrometheusMeterRegistry registry;
    private final RunManager runs;
    private final RunStore store;

    private LossPrismApp(
            Vertx vertx, HttpVerticle http, PrometheusMeterRegistry registry, RunManager runs, RunStore store) {
        this.vertx = vertx;
        this.http = http;
        this.registry = registry;
        this.runs = runs;
        this.store = store;
    }

    /**
     * Loads the configuration (a {@link io.lossprism.config.ConfigException} for a bad value, thrown at
     * once), opens the dataset (a {@link io.lossprism.data.DatasetException} fails the start before anything
     * is created: no store, token, port or run), opens the store, then deploys the meters, the HTTP server (so the dashboard is up while the
     * network is built), the alerts, and the runs, which resume or start a run.
     *
     * @param configFile a YAML file, or null for the defaults
     * @param overrides  {@code key=value} overrides
     */
    public static Future<LossPrismApp> start(Path configFile, List<String> overrides) {
        AppConfig config = ConfigLoader.load(configFile, overrides);
        Map<String, Object> values = ConfigLoader.explicitValues(configFile, overrides);
        StartupDataset datasets;
        RunStore store;
        AccessToken token;
        try {
            datasets = StartupDataset.open(config);
            store = RunStore.open(config.storage().dir());
            token = AccessToken.resolve(config.http().token(), config.storage().dir());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        Vertx vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        Codecs.register(vertx.eventBus());

        MetricsVerticle metrics = new MetricsVerticle(
                registry,
                new LossMetrics(config.alerts().smoothing()),
                new AlertMetrics(knownAlerts(config)),
                config.liveRuns().finishedRunGraceSeconds(),
                config.liveRuns().maxLiveRuns());
        RunManager runs = new RunManager(config, values, store, datasets);
        LiveRuns live = LiveRuns.follow(vertx.eventBus());
        HttpVerticle http = new HttpVerticle(config, registry, token, store, runs, live);
        return vertx.deployVerticle(metrics)
                .compose(id -> vertx.deployVerticle(new IngestVerticle(config.ingest(), store, live)))
                .compose(id -> vertx.deployVerticle(http))
                .onSuccess(id -> announce(config, http.port()))
                .compose(id ->
                        vertx.deployVerticle(new AlertVerticle(config.alerts(), baseUrl(config, http.port()) + "/")))
                .compose(id -> vertx.deployVerticle(runs))
                .map(id -> new LossPrismApp(vertx, http, registry, runs, store))
                // not chained after close(): a closed Vert.x cannot run the caller's failure handler
                .onFailure(e -> {
                    closeStore(store);
                    vertx.close();
                });
    }

    private static List<AlertMetrics.Known> knownAlerts(AppConfig config) {
        return config.alerts().rules().stream()
                .filter(RuleSettings::enabled)
                .map(r -> new AlertMetrics.Known(
                        r.alertName(), r.severity(), r.kind().perClass()))
                .toList();
    }

    private static String baseUrl(AppConfig config, int port) {
        String host = config.http().host();
        return "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + port;
    }

    private static void announce(AppConfig config, int port) {
        String base = baseUrl(config, port);
        LOG.info("dashboard {}/  metrics {}/metrics  status {}/api/status", base, base, base);
    }

    public int httpPort() {
        return http.port();
    }

    public Vertx vertx() {
        return vertx;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The runs, for callers in this process (tests, benchmarks): status, controls, the current run. */
    public RunManager runs() {
        return runs;
    }

    /** The runs live now; an external run's owner (the ingest API) registers and finishes it here. */
    public LiveRuns liveRuns() {
        return http.liveRuns();
    }

    /** The stored history, read-only. */
    public RunHistory history() {
        return store;
    }

    /**
     * Stops training between two batches (it checkpoints and stores its last report, status and alerts),
     * then the server, then closes the store: in that order, so that nothing writes to a closed store.
     */
    public Future<Void> close() {
        return runs.shutdown().eventually(vertx::close).eventually(() -> closeStore(store));
    }

    private static Future<Void> closeStore(RunStore store) {
        store.close();
        return Future.succeededFuture();
    }
}
