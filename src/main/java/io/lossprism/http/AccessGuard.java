package io.lossprism.http;

import io.lossprism.config.HttpConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Who may do what: controls need the bearer token; reads need it only when {@code http.protectReads}
 * is on; the live WebSocket opens only for the server's own pages (or listed origins); and each
 * client address gets a bounded request rate on every path ({@code http.requestsPerSecond}, bursts of
 * {@code http.requestBurst}). Every refusal is JSON {@code {"error": ...}}.
 */
final class AccessGuard {

    /** Why a control without a token, or with a wrong one, is refused: over HTTP and the WebSocket alike. */
    static final String NO_TOKEN = "this needs the control token";

    static final String INVALID_TOKEN = "the token is not valid";
    /** Client addresses remembered by the rate limiter. */
    private static final int MAX_CLIENTS = 10_000;

    private final AccessToken token;
    private final boolean protectReads;
    private final List<String> allowedOrigins;
    private final RateLimiter limiter;

    AccessGuard(AccessToken token, HttpConfig http) {
        this.token = token;
        this.protectReads = http.protectReads();
        this.allowedOrigins =
                http.allowedOrigins().stream().map(AccessGuard::normalise).toList();
        this.limiter = new RateLimiter(http.requestsPerSecond(), http.requestBurst(), MAX_CLIENTS, System::nanoTime);
    }

    AccessToken token() {
        return token;
    }

    /** Refuses with 429 a client address over its request rate: every path counts. */
    void rateLimit(RoutingContext ctx) {
        if (limiter.allow(clientKey(ctx.request()))) {
            ctx.next();
        } else {
            refuse(ctx, 429, "too many requests; slow down");
        }
    }

    /** Lets a control request through only with {@code Authorization: Bearer <token>}. */
    void requireToken(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (token.matchesHeader(header)) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"lossprism\"");
            refuse(ctx, 401, header == null ? NO_TOKEN + ": Authorization: Bearer <token>" : INVALID_TOKEN);
        }
    }

    /** With protectReads, a read needs the token too: as a bearer header, or for the WebSocket as ?token=. */
    void protectRead(RoutingContext ctx) {
        if (!protectReads
                || token.matchesHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                || token.matches(ctx.queryParams().get("token"))) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"lossprism\"");
            refuse(ctx, 401, "reading needs the token here (http.protectReads is on)");
        }
    }

    /**
     * Refuses a WebSocket upgrade from a page of another origin (cross-site WebSocket hijacking). A
     * request without Origin comes from a non-browser client, which no page can forge, and is let in.
     */
    void checkOrigin(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || originAllowed(origin, ctx.request())) {
            ctx.next();
        } else {
            refuse(
                    ctx,
                    403,
                    "origin " + (origin.length() > 100 ? origin.substring(0, 100) : origin)
                            + " may not open the live feed; add it to http.allowedOrigins");
        }
    }

    private boolean originAllowed(String origin, HttpServerRequest request) {
        String normalised = normalise(origin);
        if (allowedOrigins.contains(normalised)) {
            return true;
        }
        // the authority the client addressed (Host, or :authority over HTTP/2) is the server's own origin
        var authority = request.authority();
        if (authority == null) {
            return false;
        }
        String own = authority.host().toLowerCase(Locale.ROOT) + (authority.port() > 0 ? ":" + authority.port() : "");
        return normalised.equals(normalise("http://" + own)) || normalised.equals(normalise("https://" + own));
    }

    private static String normalise(String origin) {
        try {
            URI uri = URI.create(origin.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
            return scheme + "://" + host + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return "invalid:" + origin;
        }
    }

    private static String clientKey(HttpServerRequest request) {
        return request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
    }

    static void refuse(RoutingContext ctx, int status, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
