package kap.mcp.spi;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;

/**
 * What an {@link AuthInjectorProvider} gets to build an injector.
 *
 * @param server the server name
 * @param auth the server's registration, as read from its auth file
 * @param store the auth directory, for providers that write refreshed tokens back under the server's lock
 * @param configHeaders the {@code headers} of the server's {@code [[mcp.servers]]} entry, unexpanded
 * @param env looks up {@code ${VAR}} values: the sidecar's {@code .env} file, then its process environment
 * @param http an HTTP client for token endpoints (no proxy, loopback allowed)
 */
public record InjectorContext(String server, AuthRecord auth, AuthStore store, Map<String, String> configHeaders,
                              Function<String, Optional<String>> env, HttpClient http) {

    /**
     * Validates and copies.
     */
    public InjectorContext {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(store, "store");
        configHeaders = Map.copyOf(configHeaders);
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(http, "http");
    }

    /**
     * The server's auth file.
     *
     * @return path
     */
    public Path authFile() {
        return store.file(server);
    }
}
