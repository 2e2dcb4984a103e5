package io.lossprism.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Answers a method that an existing endpoint does not take with 405 and {@code Allow} (HEAD included: the
 * page and its files answer HEAD, the API and /metrics only GET; Vert.x would send a rerouted HEAD's body).
 * Which methods a path takes is read from the router's own
 * routes, so endpoints added later need no entry here: routes with a fixed path or path parameters
 * ({@code /api/runs/:id}) decide; outside {@code /api/} prefix routes such as the static files'
 * {@code GET /*} count too (inside it, a path no endpoint has stays a 404).
 */
final class MethodGuard implements Handler<RoutingContext> {

    private record Endpoint(Pattern path, boolean prefix, Set<String> methods) {}

    private final Router router;
    private volatile List<Endpoint> endpoints;

    MethodGuard(Router router) {
        this.router = router;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String method = ctx.request().method().name();
        Set<String> allowed = allowed(path);
        if (allowed.isEmpty() || allowed.contains(method)) {
            ctx.next();
        } else {
            String allow = String.join(", ", allowed);
            ctx.response().putHeader("Allow", allow);
            AccessGuard.refuse(
                    ctx, 405, method + " is not allowed on " + RequestErrors.shown(path) + "; allowed: " + allow);
        }
    }

    /** The methods routed for {@code path}, in name order (HEAD only where routed as such), or none. */
    private Set<String> allowed(String path) {
        Set<String> exact = new TreeSet<>();
        Set<String> prefixed = new TreeSet<>();
        for (Endpoint endpoint : endpoints()) {
            if (endpoint.path().matcher(path).matches()) {
                (endpoint.prefix() ? prefixed : exact).addAll(endpoint.methods());
            }
        }
        if (!exact.isEmpty()) {
            return exact;
        }
        if (path.equals("/api") || path.startsWith("/api/")) {
            return new TreeSet<>(); // an unknown API path is a 404
        }
        return prefixed;
    }

    private List<Endpoint> endpoints() {
        List<Endpoint> known = endpoints;
        if (known == null) {
            // read once, at the first request: every route is mounted by then
            known = new ArrayList<>();
            for (Route route : router.getRoutes()) {
                String template = route.getPath();
                if (template == null
                        || route.methods() == null
                        || route.methods().isEmpty()) {
                    continue;
                }
                // "/api/*" reads "/api/" here, not exact; "/api/runs/:id" is a regular expression, exact
                boolean prefix = !route.isRegexPath() && !route.isExactPath();
                Set<String> methods = new TreeSet<>();
                route.methods().forEach(m -> methods.add(m.name()));
                known.add(new Endpoint(pattern(template, prefix), prefix, methods));
            }
            endpoints = List.copyOf(known);
        }
        return known;
    }

    /** {@code /api/runs/:id} as a regular expression; with {@code prefix}, anything may follow. */
    private static Pattern pattern(String template, boolean prefix) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=/)")) {
            if (part.startsWith("/:")) {
                regex.append("/[^/]+");
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        return Pattern.compile(regex + (prefix ? ".*" : "/?"));
    }
}
