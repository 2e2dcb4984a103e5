package io.lossprism.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;

/**
 * The answer to a request that failed outside the endpoints' own error handling: a malformed path (400),
 * a body over {@code http.maxRequestBytes} (413), a handler that threw (500). Always the JSON
 * {@code {"error": ...}}; a client's mistake is one WARN line without a stack trace, a server fault an
 * ERROR with one, and both through a {@link LogThrottle} so that no client can flood the log.
 */
final class RequestErrors {

    private final LogThrottle log;
    private final int maxRequestBytes;

    RequestErrors(LogThrottle log, int maxRequestBytes) {
        this.log = log;
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Handles every failure on {@code router}, including those that happen before any route matched. */
    void install(Router router) {
        router.route().failureHandler(this::answer);
        for (int status : List.of(400, 404, 405, 413, 500)) {
            router.errorHandler(status, this::answer);
        }
    }

    private void answer(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Throwable failure = ctx.failure();
        int status = malformed(ctx.request().uri())
                ? 400
                : ctx.statusCode() > 0
                        ? ctx.statusCode()
                        : failure instanceof HttpException http ? http.getStatusCode() : 500;
        String path = shown(ctx.request().path());
        String message = switch (status) {
            case 400 ->
                malformed(ctx.request().uri())
                        ? "malformed request (a bad escape in the path or the query)"
                        : failure != null && failure.getMessage() != null ? failure.getMessage() : "bad request";
            case 404 -> "nothing at " + path;
            case 405 -> ctx.request().method() + " is not allowed on " + path;
            case 413 -> "request body over http.maxRequestBytes (" + maxRequestBytes + " bytes)";
            default -> status >= 500 ? "internal error" : "request refused";
        };
        String line = "http " + status + " " + ctx.request().method() + " " + path + " from " + client(ctx) + ": "
                + (failure == null || status < 500 ? message : String.valueOf(failure));
        if (status >= 500) {
            log.error("status " + status, line, failure);
        } else if (status != 404 && status != 405) { // a missing page or a wrong method is no news
            log.warn("status " + status, line);
        }
        SecurityHeaders.apply(ctx.response(), ctx.request().path());
        AccessGuard.refuse(ctx, status, message);
    }

    /** Whether a '%' in {@code uri} lacks its two hex digits: Vert.x fails such a request while routing it. */
    static boolean malformed(String uri) {
        return uri != null && !uri.matches("([^%]|%[0-9A-Fa-f]{2})*");
    }

    /** A path as shown in messages: at most 100 characters, anything unprintable as '?'. */
    static String shown(String path) {
        if (path == null) {
            return "?";
        }
        String cut = path.length() > 100 ? path.substring(0, 100) + "..." : path;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static String client(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null
                ? "unknown"
                : ctx.request().remoteAddress().hostAddress();
    }
}
