package kap.egress;

import java.io.IOException;
import java.net.InetSocketAddress;

import kap.egress.internal.EgressServer;
import kap.sidecar.spi.Listener;
import kap.sidecar.spi.SidecarContext;

/**
 * A running egress proxy: one listener for CONNECT tunnels and plain HTTP requests in absolute form.
 *
 * <p>It binds {@code [proxy] listen} of the start configuration, takes the caps on connections and tunnels from
 * {@code [proxy.limits]} at start, and every other limit from the policy in force when a request arrives. Each request
 * is decided with one policy snapshot: the normalised host and port, then every resolved address (resolved once with
 * the context's {@link kap.sidecar.spi.Resolver}); only vetted addresses are dialled. Thread-safe.
 */
public interface Egress extends Listener {

    /**
     * Binds and starts the proxy; returns once it accepts connections.
     *
     * @param context the policy, audit log, start configuration and resolver
     * @return the running proxy
     * @throws IOException if the listen address cannot be bound
     */
    static Egress start(SidecarContext context) throws IOException {
        return EgressServer.start(context);
    }

    /**
     * The bound address, with the real port when port 0 was asked for.
     *
     * @return address
     */
    InetSocketAddress address();
}
