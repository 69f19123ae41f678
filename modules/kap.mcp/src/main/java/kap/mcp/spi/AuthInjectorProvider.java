package kap.mcp.spi;

import java.util.Optional;

/**
 * Adds credentials to the requests the MCP proxy sends upstream. Found with {@link java.util.ServiceLoader}, declared
 * only in {@code module-info.java}; implementations are {@code public final} with a public no-argument constructor,
 * stateless and thread-safe.
 *
 * <p>For each registered server the proxy asks every provider, in {@link #order()}, for an injector; every provider
 * that returns one applies, in that order, so a later provider's header replaces an earlier one of the same name.
 * The built-in providers are {@code headers} (order 10: the auth file's and kap.toml's static headers, with
 * {@code ${VAR}} from the sidecar's environment and {@code .env}), {@code bearer} (order 20: a static access token) and
 * {@code oauth} (order 30: an OAuth 2.1 access token, refreshed under the auth file's lock).
 */
public interface AuthInjectorProvider {

    /**
     * A stable name for logs and docs, such as {@code oauth}.
     *
     * @return name, never {@code null}
     */
    String type();

    /**
     * Application order; lower first. Defaults to 100.
     *
     * @return order
     */
    default int order() {
        return 100;
    }

    /**
     * An injector for one server, or empty if this provider does not apply to its registration.
     *
     * @param context the server's registration and what the sidecar offers
     * @return the injector, or empty
     */
    Optional<AuthInjector> create(InjectorContext context);
}
