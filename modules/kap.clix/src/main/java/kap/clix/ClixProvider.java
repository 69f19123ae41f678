package kap.clix;

import java.io.IOException;

import kap.policy.KapConfig;
import kap.sidecar.spi.Listener;
import kap.sidecar.spi.ListenerProvider;
import kap.sidecar.spi.SidecarContext;

/**
 * Starts the CLI proxy ({@code clix}) when {@code [cli]} is present, on {@code [cli] listen}.
 */
public final class ClixProvider implements ListenerProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public ClixProvider() {
    }

    @Override
    public String name() {
        return "clix";
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public boolean enabled(KapConfig config) {
        return config.cli().isPresent();
    }

    @Override
    public Listener start(SidecarContext context) throws IOException {
        return ClixServer.start(context, ClixSettings.fromSystem());
    }
}
