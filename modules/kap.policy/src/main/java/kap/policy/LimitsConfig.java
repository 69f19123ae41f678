package kap.policy;

import java.time.Duration;

/**
 * {@code [proxy.limits]}: limits on what a client of the egress proxy controls. Every value has a safe default.
 *
 * @param maxConnections open client connections at once; default 2048
 * @param maxTunnels open CONNECT tunnels at once; default 1024
 * @param maxHeaderBytes request head size (request line and headers); default 64 KiB, answered with 431 beyond it
 * @param maxClientHelloBytes TLS ClientHello bytes read for the SNI check; default 64 KiB
 * @param headerTimeout time allowed to send a whole request head (slowloris guard); default 10 s
 * @param handshakeTimeout time allowed for the client's first TLS bytes in a tunnel; default 10 s
 * @param connectTimeout time allowed to connect upstream; default 10 s
 * @param idleTimeout a tunnel or keep-alive connection with no traffic either way is closed after this; default 10 min
 */
public record LimitsConfig(int maxConnections, int maxTunnels, int maxHeaderBytes, int maxClientHelloBytes,
                           Duration headerTimeout, Duration handshakeTimeout, Duration connectTimeout,
                           Duration idleTimeout) {

    /** The defaults. */
    public static final LimitsConfig DEFAULTS = new LimitsConfig(2048, 1024, 64 * 1024, 64 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(10));

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public LimitsConfig {
        positive("max_connections", maxConnections);
        positive("max_tunnels", maxTunnels);
        if (maxHeaderBytes < 1024) {
            throw new IllegalArgumentException("max_header_bytes must be at least 1024");
        }
        if (maxClientHelloBytes < 512) {
            throw new IllegalArgumentException("max_client_hello_bytes must be at least 512");
        }
        positive("header_timeout", headerTimeout);
        positive("handshake_timeout", handshakeTimeout);
        positive("connect_timeout", connectTimeout);
        positive("idle_timeout", idleTimeout);
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be positive");
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration");
        }
    }
}
