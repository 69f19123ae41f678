package kap.egress;

import java.io.IOException;

import kap.policy.KapConfig;
import kap.sidecar.spi.Listener;
import kap.sidecar.spi.ListenerProvider;
import kap.sidecar.spi.SidecarContext;

/**
 * Starts the egress proxy in the sidecar. It always runs: without it the capsule has no way out at all.
 */
public final class EgressProvider implements ListenerProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public EgressProvider() {
    }

    @Override
    public String name() {
        return "egress";
    }

    /**
     * Starts first among the listeners (10): the capsule's traffic depends on it.
     *
     * @return 10
     */
    @Override
    public int order() {
        return 10;
    }

    @Override
    public boolean enabled(KapConfig config) {
        return true;
    }

    @Override
    public Listener start(SidecarContext context) throws IOException {
        return Egress.start(context);
    }
}
