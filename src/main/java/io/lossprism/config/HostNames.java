package io.lossprism.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** What a host key may hold: a DNS name, an IPv4 address or an IPv6 literal (bare or in brackets); no port. */
final class HostNames {

    static final String RULE = "a host name or an IP address without a port (such as 127.0.0.1, localhost or ::1)";

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private HostNames() {}

    static boolean valid(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return ipv6(host.substring(1, host.length() - 1));
        }
        if (host.indexOf(':') >= 0) {
            return ipv6(host);
        }
        if (IPV4.matcher(host).matches()) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // a name whose last label is all digits would be read as a (bad) IPv4 address
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    private static boolean ipv6(String literal) {
        if (literal.indexOf(':') < 0 || !IPV6.matcher(literal).matches()) {
            return false;
        }
        try {
            // a literal with ':' is parsed, never looked up
            InetAddress.getByName("[" + literal + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
