package kap.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the remote daemon.
 *
 * @param home the daemon's state directory ({@code ~/.kap/remote}); created 0700
 * @param bind the address to listen on: the LAN address the phone uses by default ({@link LanAddress#detect()})
 * @param port the port; {@link #DEFAULT_PORT} by default, 0 for any free port
 * @param hosts the host names or addresses the phone may use to reach the daemon; the first is put in the pairing
 *         URL. Requests whose {@code Host} or {@code Origin} names another host are refused (DNS rebinding,
 *         cross-site requests)
 * @param tls a certificate and key to serve HTTPS with, or empty for plain HTTP on the LAN
 * @param capsules where capsules come from
 * @param pins how a changed MCP tool is re-approved
 * @param pairingTtl how long a pairing code stays valid; {@link #DEFAULT_PAIRING_TTL} by default
 */
public record RemoteOptions(Path home, String bind, int port, List<String> hosts, Optional<TlsFiles> tls,
                            CapsuleSource capsules, PinApprover pins, Duration pairingTtl) {

    /** The daemon's default port. */
    public static final int DEFAULT_PORT = 19420;
    /** Pairing codes expire after this by default. */
    public static final Duration DEFAULT_PAIRING_TTL = Duration.ofMinutes(5);

    /**
     * Validates and copies.
     */
    public RemoteOptions {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(bind, "bind");
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one host name or address for the phone is needed");
        }
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(capsules, "capsules");
        Objects.requireNonNull(pins, "pins");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (pairingTtl.isNegative() || pairingTtl.isZero() || pairingTtl.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("a pairing code lives between 1 s and 1 h");
        }
    }

    /**
     * Options on one address, which is both the bind address and the host the phone uses.
     *
     * @param home state directory
     * @param address address to bind and advertise
     * @param port port, 0 for any
     * @param capsules capsule source
     * @return options with no TLS, no pin approver and the default pairing TTL
     */
    public static RemoteOptions of(Path home, String address, int port, CapsuleSource capsules) {
        return new RemoteOptions(home, address, port, List.of(address), Optional.empty(), capsules,
                PinApprover.unavailable(), DEFAULT_PAIRING_TTL);
    }

    /**
     * A copy with TLS.
     *
     * @param files certificate and key
     * @return options
     */
    public RemoteOptions withTls(TlsFiles files) {
        return new RemoteOptions(home, bind, port, hosts, Optional.of(files), capsules, pins, pairingTtl);
    }

    /**
     * A copy with a pin approver.
     *
     * @param approver approver
     * @return options
     */
    public RemoteOptions withPins(PinApprover approver) {
        return new RemoteOptions(home, bind, port, hosts, tls, capsules, approver, pairingTtl);
    }

    /**
     * A copy with another pairing-code lifetime.
     *
     * @param ttl lifetime
     * @return options
     */
    public RemoteOptions withPairingTtl(Duration ttl) {
        return new RemoteOptions(home, bind, port, hosts, tls, capsules, pins, ttl);
    }

    /**
     * The certificate the user provides for HTTPS.
     *
     * @param certificate PEM certificate chain
     * @param key PEM private key (PKCS#8)
     */
    public record TlsFiles(Path certificate, Path key) {

        /**
         * Validates.
         */
        public TlsFiles {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }
}
