package io.lossprism.config;

import java.util.List;
import java.util.Objects;

/**
 * Where the dashboard and API server listens (port 0 means any free port) and who may use it.
 *
 * @param token             the control token; empty means generate one at first start and keep it in the storage dir
 * @param protectReads      true requires the token for the dashboard feed, /api reads and /metrics too
 * @param allowedOrigins    origins besides the server's own allowed to open the WebSocket
 * @param maxRequestBytes   the largest request body accepted
 * @param requestsPerSecond requests and WebSocket messages allowed per client address and second
 * @param requestBurst      requests a client address may send at once before the rate applies
 * @param allowedHosts      Host names served besides the loopback names while bound to loopback
 * @param feedOpeningsPerSecond live feed clients sent their opening history per second at most
 * @param eventLoops        HTTP server instances, each on its own event loop, sharing the port
 */
public record HttpConfig(
        String host,
        int port,
        String token,
        boolean protectReads,
        List<String> allowedOrigins,
        int maxRequestBytes,
        int requestsPerSecond,
        int requestBurst,
        List<String> allowedHosts,
        int feedOpeningsPerSecond,
        int eventLoops) {

    public HttpConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedHosts = List.copyOf(allowedHosts);
    }
}
