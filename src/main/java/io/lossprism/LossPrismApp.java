package io.lossprism;

import io.lossprism.alert.RuleSettings;
import io.lossprism.alerting.AlertLog;
import io.lossprism.alerting.AlertVerticle;
import io.lossprism.bus.Addresses;
import io.lossprism.bus.AlertEvent;
import io.lossprism.bus.BatchReport;
import io.lossprism.bus.Codecs;
import io.lossprism.bus.TrainingStatus;
import io.lossprism.config.AppConfig;
import io.lossprism.http.HttpVerticle;
import io.lossprism.metrics.AlertMetrics;
import io.lossprism.metrics.LossMetrics;
import io.lossprism.training.TrainingVerticle;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running LossPrism: one Vert.x instance, its metrics registry, the HTTP and training verticles. */
public final class LossPrismApp {

    /** The worker pool that runs training; one thread, so batches never overlap. */
    public static final String TRAINING_POOL = "lossprism-training";
    /** Alert transitions kept for /api/alerts. */
    private static final int ALERT_HISTORY = 200;
    private static final Logger LOG = LoggerFactory.getLogger(LossPrismApp.class);

    private final Vertx vertx;
    private final HttpVerticle http;
    private final PrometheusMeterRegistry registry;

    private LossPrismApp(Vertx vertx, HttpVerticle http, PrometheusMeterRegistry registry) {
        this.vertx = vertx;
        this.http = http;
        this.registry = registry;
    }

    /** Starts the HTTP server first (so the dashboard is up while the network is built), then training. */
    public static Future<LossPrismApp> start(AppConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        Vertx vertx = Vertx.builder()
                .with(new VertxOptions()
                        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true))
                        .setMaxWorkerExecuteTime(5).setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        Codecs.register(vertx.eventBus());

        LossMetrics metrics = new LossMetrics(config.training().classes(),
                config.alerts().emaAlpha()); // the series Prometheus's rules read smooth like the app's rules
        metrics.bindTo(registry);
        vertx.eventBus().<BatchReport>localConsumer(Addresses.BATCH_REPORT, m -> metrics.onBatch(m.body()));
        vertx.eventBus().<TrainingStatus>localConsumer(Addresses.TRAINING_STATUS, m -> metrics.onStatus(m.body()));

        AlertMetrics alertMetrics = new AlertMetrics(knownAlerts(config), config.training().classes());
        alertMetrics.bindTo(registry);
        vertx.eventBus().<AlertEvent>localConsumer(Addresses.ALERT_EVENT, m -> alertMetrics.onAlert(m.body()));

        AlertLog alertLog = new AlertLog(ALERT_HISTORY);
        HttpVerticle http = new HttpVerticle(config, registry, alertLog);
        DeploymentOptions worker = new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolName(TRAINING_POOL)
                .setWorkerPoolSize(1);
        return vertx.deployVerticle(http)
                .onSuccess(id -> announce(config, http.port()))
                .compose(id -> vertx.deployVerticle(new AlertVerticle(config.alerts(), config.training().classes(),
                        alertLog, baseUrl(config, http.port()) + "/")))
                .compose(id -> vertx.deployVerticle(new TrainingVerticle(config), worker))
                .map(id -> new LossPrismApp(vertx, http, registry))
                .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
    }

    private static List<AlertMetrics.Known> knownAlerts(AppConfig config) {
        return config.alerts().rules().stream().filter(RuleSettings::enabled)
                .map(r -> new AlertMetrics.Known(r.alertName(), r.severity(), r.kind().perClass())).toList();
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

    public Future<Void> close() {
        return vertx.close();
    }
}
