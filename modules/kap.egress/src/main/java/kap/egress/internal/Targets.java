package kap.egress.internal;

import java.util.Locale;

import kap.policy.HostPort;

/**
 * Parses request targets strictly. CONNECT takes authority-form only, {@code host:port} with a port from 1 to 65535;
 * every other method takes absolute-form {@code http://host[:port]/path} only. User info, fragments, empty ports,
 * unbracketed or double-bracketed IPv6 and anything {@link HostPort} finds ambiguous (such as {@code 127.1}) are
 * refused.
 */
final class Targets {

    private Targets() {
    }

    /**
     * Parses a CONNECT target.
     *
     * @param text the request target
     * @return the target
     * @throws EgressException {@code MALFORMED} naming what is wrong
     */
    static RequestHead.AuthorityTarget authority(String text) {
        if (text.indexOf('/') >= 0 || text.indexOf('@') >= 0 || text.indexOf('?') >= 0 || text.indexOf('#') >= 0) {
            throw EgressException.malformed("CONNECT target must be host:port, without scheme, path or user info");
        }
        return new RequestHead.AuthorityTarget(hostPort(text, -1));
    }

    /**
     * Parses the target of a plain HTTP request.
     *
     * @param text the request target
     * @return the target
     * @throws EgressException {@code MALFORMED} naming what is wrong
     */
    static RequestHead.AbsoluteTarget absolute(String text) {
        if (text.startsWith("/") || "*".equals(text)) {
            throw EgressException.malformed("a forward proxy needs the absolute URI in the request line "
                    + "(GET http://host/path); configure this client's HTTP proxy instead of sending the request here");
        }
        int colon = text.indexOf("://");
        String scheme = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        if ("https".equals(scheme)) {
            throw EgressException.malformed("https URLs go through CONNECT; this proxy does not terminate TLS");
        }
        if (!"http".equals(scheme)) {
            throw EgressException.malformed("request target must be an absolute http:// URI");
        }
        String rest = text.substring(colon + 3);
        if (rest.indexOf('#') >= 0) {
            throw EgressException.malformed("request target must not carry a fragment");
        }
        int pathStart = firstOf(rest, '/', '?');
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        String path = pathStart < 0 ? "/" : rest.substring(pathStart);
        if (path.startsWith("?")) {
            path = "/" + path;
        }
        if (authority.indexOf('@') >= 0) {
            throw EgressException.malformed("user info in the request URI is not allowed");
        }
        boolean explicitPort = authority.lastIndexOf(':') > authority.lastIndexOf(']');
        return new RequestHead.AbsoluteTarget(hostPort(authority, 80), explicitPort, path);
    }

    /** host:port, host (with a default port), [v6]:port or [v6]. */
    private static HostPort hostPort(String authority, int defaultPort) {
        if (authority.isEmpty()) {
            throw EgressException.malformed("empty host");
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0 || authority.indexOf('[', 1) >= 0 || authority.indexOf(']', close + 1) >= 0) {
                throw EgressException.malformed("malformed IPv6 literal in target");
            }
            host = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw EgressException.malformed("expected :port after the IPv6 literal");
            }
            port = after.isEmpty() ? null : after.substring(1);
        } else {
            if (authority.indexOf('[') >= 0 || authority.indexOf(']') >= 0) {
                throw EgressException.malformed("stray bracket in target host");
            }
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                throw EgressException.malformed("IPv6 literal must be in brackets");
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (port == null && defaultPort < 0) {
            throw EgressException.malformed("CONNECT target needs a port (host:port)");
        }
        try {
            int number = port == null ? defaultPort : HostPort.parsePort(port);
            return HostPort.of(host, number);
        } catch (IllegalArgumentException e) {
            throw EgressException.malformed("invalid target: " + e.getMessage());
        }
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
