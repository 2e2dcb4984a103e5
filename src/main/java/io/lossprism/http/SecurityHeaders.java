package io.lossprism.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every response carries: {@code X-Content-Type-Options: nosniff}, and how it may be cached: never
 * for the API and metrics ({@code no-store}: they hold run data), revalidated for the page and its files
 * ({@code no-cache}) unless the handler set its own (the versioned WebJars).
 */
final class SecurityHeaders {

    private SecurityHeaders() {}

    /** A route handler: adds the headers when the response's headers are written, whoever writes them. */
    static void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        ctx.addHeadersEndHandler(v -> apply(ctx.response(), path));
        ctx.next();
    }

    static void apply(HttpServerResponse response, String path) {
        response.headers().set("X-Content-Type-Options", "nosniff");
        if (holdsData(path)) {
            response.headers().set("Cache-Control", "no-store");
        } else if (!response.headers().contains("Cache-Control")) {
            response.headers().set("Cache-Control", "no-cache");
        }
    }

    private static boolean holdsData(String path) {
        return path == null || path.equals("/api") || path.startsWith("/api/") || path.equals("/metrics");
    }
}
