package kap.mcp.internal;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

import kap.mcp.spi.AuthInjectorProvider;
import kap.policy.KapConfig;
import kap.sidecar.spi.Listener;
import kap.sidecar.spi.ListenerProvider;
import kap.sidecar.spi.SidecarContext;

/**
 * Starts the {@code mcp} listener when kap.toml has an {@code [mcp]} table, on {@code [mcp] listen}.
 */
public final class McpListenerProvider implements ListenerProvider {

    /**
     * Required public constructor for ServiceLoader.
     */
    public McpListenerProvider() {
    }

    @Override
    public String name() {
        return "mcp";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public boolean enabled(KapConfig config) {
        return config.mcp().isPresent();
    }

    @Override
    public Listener start(SidecarContext context) throws IOException {
        var mcp = context.startConfig().mcp().orElseThrow(() -> new IllegalStateException("[mcp] is not configured"));
        return McpProxy.start(context, mcp.listen().socketAddress(), Limits.DEFAULTS, EnvLookup.system(),
                injectorProviders());
    }

    /** Every auth-injector provider on the module path, in order. */
    static List<AuthInjectorProvider> injectorProviders() {
        return ServiceLoader.load(AuthInjectorProvider.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(AuthInjectorProvider::order).thenComparing(AuthInjectorProvider::type))
                .toList();
    }
}
