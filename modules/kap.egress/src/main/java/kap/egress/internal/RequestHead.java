package kap.egress.internal;

import java.util.Objects;

import kap.policy.HostPort;

/**
 * A parsed request head: request line and header fields.
 *
 * @param method the method token, case as sent
 * @param target the request target
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers header fields
 */
record RequestHead(String method, Target target, String version, Headers headers) {

    RequestHead {
        Objects.requireNonNull(method);
        Objects.requireNonNull(target);
        Objects.requireNonNull(version);
        Objects.requireNonNull(headers);
    }

    boolean isConnect() {
        return "CONNECT".equals(method);
    }

    boolean isHttp11() {
        return "HTTP/1.1".equals(version);
    }

    /** The request target forms a forward proxy can be sent (RFC 9112 §3.2). */
    sealed interface Target {
        /** The normalised host and port this target names. */
        HostPort hostPort();
    }

    /**
     * {@code CONNECT host:port}.
     *
     * @param hostPort the target
     */
    record AuthorityTarget(HostPort hostPort) implements Target {
    }

    /**
     * {@code http://host[:port]/path?query}.
     *
     * @param hostPort host and port (80 unless given)
     * @param explicitPort whether the URI spelled the port
     * @param pathAndQuery origin-form for the upstream, at least {@code /}
     */
    record AbsoluteTarget(HostPort hostPort, boolean explicitPort, String pathAndQuery) implements Target {

        /** The Host header the upstream gets: the URI's authority, without the default port. */
        String hostHeader() {
            String host = hostPort.host().indexOf(':') >= 0 ? "[" + hostPort.host() + "]" : hostPort.host();
            return explicitPort && hostPort.port() != 80 ? host + ":" + hostPort.port() : host;
        }
    }
}
