package kap.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import kap.sidecar.spi.Listener;

/**
 * A running DNS forwarder: one UDP and one TCP socket on the same address and port.
 *
 * <p>Thread-safe. Every query takes the policy in force ({@link kap.policy.LivePolicy#current()}) once, so rules,
 * upstreams and {@code [proxy.dns]} settings follow hot reload; the listen address needs a restart.
 */
public interface DnsForwarder extends Listener {

    /**
     * Binds both sockets and starts answering. With port 0, UDP and TCP get the same ephemeral port.
     *
     * @param options what to listen on, the policy, the audit log and the host's resolver configuration
     * @return the running forwarder
     * @throws IOException if a socket cannot be bound, or if no upstream is configured and the host's resolver
     *         configuration names none (kap never falls back to a public resolver)
     */
    static DnsForwarder start(DnsOptions options) throws IOException {
        return DnsServer.start(options);
    }

    /**
     * The bound UDP address.
     *
     * @return address with the real port
     */
    InetSocketAddress udpAddress();

    /**
     * The bound TCP address; same address and port as {@link #udpAddress()}.
     *
     * @return address with the real port
     */
    InetSocketAddress tcpAddress();

    /**
     * {@inheritDoc} The name is {@code dns}.
     */
    @Override
    default String name() {
        return DnsListenerProvider.NAME;
    }

    /**
     * {@inheritDoc} UDP first, then TCP.
     */
    @Override
    default List<InetSocketAddress> addresses() {
        return List.of(udpAddress(), tcpAddress());
    }
}
