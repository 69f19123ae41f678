package kap.dns;

import java.io.IOException;

import kap.policy.KapConfig;
import kap.sidecar.spi.Listener;
import kap.sidecar.spi.ListenerProvider;
import kap.sidecar.spi.SidecarContext;

/**
 * Provides the sidecar's {@code dns} listener on {@code proxy.dns_listen}. Always enabled: a capsule without a DNS
 * filter would leak names through whatever resolver it could reach.
 */
public final class DnsListenerProvider implements ListenerProvider {

    /** The listener's name. */
    public static final String NAME = "dns";

    /**
     * Required public constructor for ServiceLoader.
     */
    public DnsListenerProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Starts after the egress proxy (10) and before the MCP and CLI proxies.
     *
     * @return 20
     */
    @Override
    public int order() {
        return 20;
    }

    @Override
    public boolean enabled(KapConfig config) {
        return true;
    }

    @Override
    public Listener start(SidecarContext context) throws IOException {
        return DnsForwarder.start(DnsOptions.of(context.policy(), context.audit(),
                context.startConfig().proxy().dnsListen()));
    }
}
