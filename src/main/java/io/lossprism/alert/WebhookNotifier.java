package io.lossprism.alert;

import io.lossprism.bus.AlertEvent;
import io.lossprism.config.Redaction;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs firing and resolved alerts to the configured webhooks, asynchronously on the event loop:
 * each attempt has a time limit, failures are retried a bounded number of times with doubling delays,
 * and at most {@link #MAX_IN_FLIGHT} deliveries wait at once, so a dead receiver costs nothing but a
 * log line and never slows training.
 */
final class WebhookNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    static final int MAX_IN_FLIGHT = 100;
    private static final long FIRST_RETRY_DELAY_MS = 500;

    private final Vertx vertx;
    private final HttpClient client;
    private final List<String> urls;
    private final int timeoutMs;
    private final int retries;
    private int inFlight;

    WebhookNotifier(Vertx vertx, List<String> urls, int timeoutMs, int retries) {
        this.vertx = vertx;
        this.urls = List.copyOf(urls);
        this.timeoutMs = timeoutMs;
        this.retries = retries;
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeoutMs));
    }

    void notify(AlertEvent event, Buffer payload) {
        for (String url : urls) {
            if (inFlight >= MAX_IN_FLIGHT) {
                LOG.warn(
                        "webhook dropped: {} deliveries already pending; url={} alert={}",
                        inFlight,
                        Redaction.text(url),
                        event.alertName());
                continue;
            }
            inFlight++;
            attempt(url, payload, 0);
        }
    }

    private void attempt(String url, Buffer payload, int attempt) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setTimeout(timeoutMs)
                .setConnectTimeout(timeoutMs)
                .putHeader("Content-Type", "application/json");
        client.request(options)
                .compose(request -> request.send(payload))
                .compose(response -> response.body().map(body -> response.statusCode()))
                .onComplete(result -> {
                    boolean delivered = result.succeeded() && result.result() / 100 == 2;
                    if (delivered) {
                        inFlight--;
                        return;
                    }
                    String why = result.succeeded() ? "status " + result.result() : String.valueOf(result.cause());
                    if (attempt < retries) {
                        long delay = FIRST_RETRY_DELAY_MS << attempt;
                        LOG.debug(
                                "webhook attempt {} failed ({}), retrying in {} ms: {}",
                                attempt + 1,
                                Redaction.text(why),
                                delay,
                                Redaction.text(url));
                        vertx.setTimer(delay, id -> attempt(url, payload, attempt + 1));
                    } else {
                        inFlight--;
                        LOG.warn(
                                "webhook failed after {} attempts: url={} cause={}",
                                attempt + 1,
                                Redaction.text(url),
                                Redaction.text(why));
                    }
                });
    }

    void close() {
        client.close();
    }
}
