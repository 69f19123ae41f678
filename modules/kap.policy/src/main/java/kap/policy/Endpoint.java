package kap.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An IP address and port, for listen addresses and DNS upstreams. Names are not accepted: a listener or upstream that
 * depends on DNS would be resolved through the very filter it configures.
 *
 * @param address IP address
 * @param port 0 to 65535; 0 asks the OS for a free port (tests)
 */
public record Endpoint(InetAddress address, int port) {

    /**
     * Validates the endpoint.
     *
     * @throws IllegalArgumentException if the port is out of range
     */
    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses {@code 127.0.0.1:3128}, {@code [::1]:53}, or a bare IP when a default port is given.
     *
     * @param text the endpoint
     * @param defaultPort port used when the text has none, or -1 if a port is required
     * @return the endpoint
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Endpoint parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address");
        }
        String host = text;
        int port = defaultPort;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in " + text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':port' after ']' in " + text);
                }
                port = parsePortOrZero(rest.substring(1), text);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = parsePortOrZero(text.substring(text.indexOf(':') + 1), text);
        }
        if (port < 0) {
            throw new IllegalArgumentException("missing port in " + text + " (expected ip:port)");
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address (expected ip:port, such as 127.0.0.1:"
                    + Math.max(port, 1) + ")");
        }
        return new Endpoint(address, port);
    }

    /**
     * The socket address to bind or connect.
     *
     * @return socket address
     */
    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }

    @Override
    public String toString() {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + HostPort.formatIpv6(address.getAddress()) + "]" : host) + ":" + port;
    }

    private static int parsePortOrZero(String digits, String whole) {
        if ("0".equals(digits)) {
            return 0;
        }
        try {
            return HostPort.parsePort(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in " + whole);
        }
    }
}
