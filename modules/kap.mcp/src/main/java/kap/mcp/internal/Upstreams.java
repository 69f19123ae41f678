package kap.mcp.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;
import kap.mcp.spi.AuthInjector;
import kap.mcp.spi.AuthInjectorProvider;
import kap.mcp.spi.InjectorContext;
import kap.policy.McpConfig;
import kap.policy.McpServer;

/**
 * Where each server's requests go and with which credentials: its auth file ({@code <auth_dir>/<name>.json}, written
 * by {@code kap mcp add} on the host) and the injectors the {@link AuthInjectorProvider}s build for it. The file is
 * compared with the disk at most every {@link #RECHECK_NANOS}, so a new registration or a refreshed token applies
 * without a restart. Thread-safe.
 */
final class Upstreams {

    static final long RECHECK_NANOS = 1_000_000_000L;

    /** Headers the HTTP client sets itself or that must never come from configuration. */
    static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection", "content-type", "accept",
            "mcp-session-id", "mcp-protocol-version", "last-event-id");

    private final HttpClient http;
    private final Function<String, Optional<String>> env;
    private final List<AuthInjectorProvider> providers;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    Upstreams(HttpClient http, Function<String, Optional<String>> env, List<AuthInjectorProvider> providers) {
        this.http = http;
        this.env = env;
        this.providers = List.copyOf(providers);
    }

    /** An upstream server with its credentials. */
    record Target(URI url, List<AuthInjector> injectors) {
        /** The credentials for the next request, later injectors winning; restricted names are dropped. */
        Map<String, String> headers() throws IOException {
            Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (AuthInjector i : injectors) {
                i.headers().forEach((k, v) -> {
                    if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT)) && validName(k)) {
                        out.put(k, v);
                    }
                });
            }
            return out;
        }

        /** Asks every injector for fresh credentials after a 401; true if any got some. */
        boolean refresh(Map<String, String> rejected) throws IOException {
            boolean any = false;
            for (AuthInjector i : injectors) {
                any |= i.refreshAfterUnauthorized(rejected);
            }
            return any;
        }
    }

    /**
     * The target of a configured server.
     *
     * @throws ProxyException (unknown server) if it has no valid auth file
     */
    Target target(McpConfig mcp, McpServer server) {
        AuthStore store = AuthStore.at(mcp.authDir());
        String name = server.name();
        Cached c = cache.get(name);
        long now = System.nanoTime();
        if (c != null && c.store().dir().equals(store.dir()) && c.configHeaders().equals(server.headers())
                && now - c.checkedAt() < RECHECK_NANOS) {
            return c.target();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(store.file(name));
        } catch (NoSuchFileException e) {
            throw notRegistered(name, "no auth file " + store.file(name) + "; run `kap mcp add " + name
                    + " <url>` on the host");
        } catch (IOException e) {
            throw notRegistered(name, "cannot read " + store.file(name) + ": " + e.getMessage());
        }
        if (c != null && Arrays.equals(c.bytes(), bytes) && c.configHeaders().equals(server.headers())
                && c.store().dir().equals(store.dir())) {
            cache.put(name, new Cached(store, bytes, c.configHeaders(), c.target(), now));
            return c.target();
        }
        AuthRecord auth;
        try {
            auth = AuthRecord.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw notRegistered(name, "invalid auth file " + store.file(name) + ": " + e.getMessage());
        }
        InjectorContext context = new InjectorContext(name, auth, store, server.headers(), env, http);
        List<AuthInjector> injectors = new ArrayList<>();
        for (AuthInjectorProvider p : providers) {
            p.create(context).ifPresent(injectors::add);
        }
        Target target = new Target(auth.upstream(), injectors);
        cache.put(name, new Cached(store, bytes, server.headers(), target, now));
        return target;
    }

    private static ProxyException notRegistered(String name, String why) {
        return new ProxyException(ProxyException.Kind.UNKNOWN_SERVER, "MCP server \"" + name
                + "\" is in kap.toml but not registered on the sidecar: " + why);
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 0x20 && c < 0x7f
                && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }

    private record Cached(AuthStore store, byte[] bytes, Map<String, String> configHeaders, Target target,
                          long checkedAt) {
    }
}
