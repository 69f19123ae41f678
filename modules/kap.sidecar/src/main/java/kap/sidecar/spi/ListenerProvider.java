package kap.sidecar.spi;

import java.io.IOException;

import kap.policy.KapConfig;

/**
 * Starts one named sidecar listener.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}, declared only in {@code module-info.java}, and
 * must be {@code public final} with a public no-argument constructor. They are stateless; all state lives in the
 * {@link Listener} they start.
 */
public interface ListenerProvider {

    /**
     * The listener's name, such as {@code egress}; unique, and used in logs, status and tests.
     *
     * @return name, never {@code null}
     */
    String name();

    /**
     * Start order; lower starts first. Defaults to 100.
     *
     * @return order
     */
    default int order() {
        return 100;
    }

    /**
     * Whether the configuration asks for this listener (the MCP proxy, for example, only runs when {@code [mcp]} is
     * present).
     *
     * @param config the configuration at start
     * @return {@code true} to start it
     */
    boolean enabled(KapConfig config);

    /**
     * Binds and starts the listener. Returns once it accepts connections.
     *
     * @param context what the sidecar shares with every listener
     * @return the running listener
     * @throws IOException if it cannot bind
     */
    Listener start(SidecarContext context) throws IOException;
}
