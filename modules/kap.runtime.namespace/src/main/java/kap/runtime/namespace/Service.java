package kap.runtime.namespace;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A sidecar listener as the capsule sees it: the port the bridge listens on at {@code 127.0.0.1} (the addresses of
 * the Docker runtime's sidecar), and the Unix sockets that carry it out of the capsule.
 */
enum Service {
    /** The egress proxy: {@code HTTP(S)_PROXY=http://127.0.0.1:3128}. */
    EGRESS("egress", 3128, false),
    /** The MCP proxy, when {@code [mcp]} is configured. */
    MCP("mcp", 3129, false),
    /** The CLI proxy, when {@code [cli]} is configured. */
    CLIX("clix", 3130, false),
    /** The DNS forwarder over TCP and UDP; {@code resolv.conf} says {@code nameserver 127.0.0.1}. */
    DNS("dns", 53, true);

    private final String listener;
    private final int port;
    private final boolean datagrams;

    Service(String listener, int port, boolean datagrams) {
        this.listener = listener;
        this.port = port;
        this.datagrams = datagrams;
    }

    /** The sidecar listener's name. */
    String listener() {
        return listener;
    }

    /** The port inside the capsule. */
    int port() {
        return port;
    }

    /** Whether it also takes UDP. */
    boolean datagrams() {
        return datagrams;
    }

    /** The stream socket: one connection per TCP connection inside. */
    Path streamSocket(Path runtimeDir) {
        return runtimeDir.resolve(listener + ".sock");
    }

    /** The socket that carries datagrams, each as a length-prefixed frame, if the service takes UDP. */
    Optional<Path> datagramSocket(Path runtimeDir) {
        return datagrams ? Optional.of(runtimeDir.resolve(listener + "-udp.sock")) : Optional.empty();
    }

    /**
     * The service of a listener.
     *
     * @param listener a sidecar listener's name
     * @return the service, or empty if the capsule does not reach that listener
     */
    static Optional<Service> ofListener(String listener) {
        for (Service s : values()) {
            if (s.listener.equals(listener)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
