package io.lossprism.http;

import io.lossprism.config.HttpConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * Refuses requests addressed to a name the server does not answer to, against DNS rebinding: a page of
 * evil.example whose name is made to resolve to 127.0.0.1 reaches a loopback server as the same origin,
 * but its requests still say {@code Host: evil.example}. While the server listens on a loopback address,
 * only localhost, 127.0.0.0/8 and [::1] (any port) and the names in {@code http.allowedHosts} are served;
 * with names listed, the check applies on any interface. A request without Host (HTTP/1.0 tools) comes
 * from no browser and passes.
 */
final class HostCheck implements Handler<RoutingContext> {

    private final boolean enforced;
    private final List<String> allowed;

    HostCheck(HttpConfig http) {
        this.allowed = http.allowedHosts().stream().map(HostCheck::normalise).toList();
        this.enforced = loopback(normalise(http.host())) || !allowed.isEmpty();
    }

    @Override
    public void handle(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        String header = ctx.request().getHeader(HttpHeaders.HOST);
        String host = authority != null ? authority.host() : header;
        if (host == null || allows(host)) {
            ctx.next();
        } else {
            String shown = host.length() > 100 ? host.substring(0, 100) + "..." : host;
            AccessGuard.refuse(
                    ctx,
                    403,
                    "host '" + shown.replaceAll("[^\\x21-\\x7e]", "?")
                            + "' is not served here (DNS rebinding?); list it in http.allowedHosts to allow it");
        }
    }

    /** Whether a request for {@code host} (a name or address without the port) is served. */
    boolean allows(String host) {
        if (!enforced) {
            return true;
        }
        String name = normalise(host);
        return loopback(name) || allowed.contains(name);
    }

    /** Lower case, without a trailing dot; an IPv6 address in brackets. */
    private static String normalise(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.indexOf(':') >= 0 && !name.startsWith("[")) {
            name = "[" + name + "]";
        }
        return name;
    }

    private static boolean loopback(String name) {
        return name.equals("localhost")
                || name.equals("[::1]")
                || name.equals("[0:0:0:0:0:0:0:1]")
                || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
