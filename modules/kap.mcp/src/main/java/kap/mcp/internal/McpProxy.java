package kap.mcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import kap.mcp.AuthStore;
import kap.mcp.PinStore;
import kap.mcp.spi.AuthInjectorProvider;
import kap.policy.McpConfig;
import kap.policy.McpServer;
import kap.policy.Policy;
import kap.policy.Reasons;
import kap.sidecar.spi.Listener;
import kap.sidecar.spi.SidecarContext;

/**
 * The MCP proxy listener: MCP Streamable HTTP on one address, one path per server ({@code /<server>}).
 *
 * <p>Built on the JDK's HTTP server and HTTP client, with a virtual thread per exchange: the sidecar starts fast and
 * stays small, and blocking on a stream costs a parked virtual thread. Every request takes the policy in force once
 * ({@code LivePolicy.current()}) and keeps it, so a reload never changes the rules halfway through a request, and a
 * server removed from kap.toml is answered 404 from the next request on.
 */
final class McpProxy implements Listener {

    private static final System.Logger LOG = System.getLogger("kap.mcp");

    private final HttpServer server;
    private final SidecarContext context;
    private final Limits limits;
    private final Sessions sessions;
    private final Upstreams upstreams;
    private final UpstreamClient upstream;
    private final Relay relay;
    private final Watchdog watchdog = new Watchdog();
    private final McpAudit audit;
    private final ToolHashCache toolHashes = new ToolHashCache();
    private final ListCache lists = new ListCache();
    private final Map<Path, PinStore> pinStores = new ConcurrentHashMap<>();
    private final Map<Sessions.Session, AtomicInteger> streams = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();

    private McpProxy(HttpServer server, SidecarContext context, Limits limits, HttpClient http,
                     EnvLookup env, List<AuthInjectorProvider> providers) {
        this.server = server;
        this.context = context;
        this.limits = limits;
        this.sessions = new Sessions(limits.sessionsPerServer(), limits.sessionIdle());
        this.upstreams = new Upstreams(http, env, providers);
        this.upstream = new UpstreamClient(http);
        this.relay = new Relay(limits, watchdog);
        this.audit = new McpAudit(context.audit(), null);
    }

    static McpProxy start(SidecarContext context, InetSocketAddress address, Limits limits, EnvLookup env,
                          List<AuthInjectorProvider> providers) throws IOException {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(limits.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        HttpServer server = HttpServer.create(address, 256);
        McpProxy proxy = new McpProxy(server, context, limits, http, env, providers);
        server.createContext("/", proxy::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return proxy;
    }

    private void handle(HttpExchange ex) {
        requests.incrementAndGet();
        String client = ex.getRemoteAddress().getAddress().getHostAddress();
        McpAudit bound = audit.forClient(client);
        String server = null;
        try {
            if (inFlight.incrementAndGet() > limits.maxConcurrent()) {
                throw new ProxyException(ProxyException.Kind.TOO_MANY, "kap is handling too many MCP requests at"
                        + " once (limit exceeded); retry shortly");
            }
            checkHeaders(ex);
            server = serverName(ex.getRequestURI());
            Policy policy = context.policy().current();
            McpServer configured = configured(policy, server, bound);
            McpConfig mcp = policy.config().mcp().orElseThrow();
            Upstreams.Target target = upstreams.target(mcp, configured);
            Call call = new Call(this, ex, policy, server, target, pins(mcp.authDir()), bound);
            switch (ex.getRequestMethod()) {
                case "POST" -> call.post();
                case "GET" -> call.get();
                case "DELETE" -> call.delete();
                default -> throw new ProxyException(ProxyException.Kind.METHOD_NOT_ALLOWED, "MCP Streamable HTTP"
                        + " uses POST, GET and DELETE only");
            }
        } catch (ProxyException e) {
            if (e.kind() == ProxyException.Kind.TOO_LARGE || e.kind() == ProxyException.Kind.TOO_MANY
                    || e.kind() == ProxyException.Kind.FORBIDDEN_ORIGIN) {
                bound.refused(server == null ? "(none)" : server, "(refused)", (e.kind()
                        == ProxyException.Kind.FORBIDDEN_ORIGIN ? "forbidden origin" : Reasons.LIMIT_EXCEEDED)
                        + ": " + e.detail(), ex.getRequestMethod());
            }
            JsonRpcErrors.send(ex, e);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "[mcp] " + server + ": client connection ended: " + e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "[mcp] " + server + ": internal error", e);
            JsonRpcErrors.send(ex, ProxyException.upstream("kap failed while handling the request"));
        } finally {
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    private McpServer configured(Policy policy, String name, McpAudit bound) {
        var found = policy.config().mcp().flatMap(m -> m.server(name));
        if (found.isEmpty()) {
            bound.refused(name, "(server)", Reasons.NOT_CONFIGURED, "(any)");
            throw new ProxyException(ProxyException.Kind.UNKNOWN_SERVER, "kap does not serve MCP server \"" + name
                    + "\": it is not configured in kap.toml (not configured). A human can add a [[mcp.servers]]"
                    + " entry with name = \"" + name + "\" and register it with `kap mcp add " + name
                    + " <url>` on the host.");
        }
        return found.get();
    }

    private static String serverName(URI uri) {
        String path = uri.getRawPath();
        String name = path.length() > 1 ? path.substring(1) : "";
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!AuthStore.NAME.matcher(name).matches()) {
            throw new ProxyException(ProxyException.Kind.UNKNOWN_SERVER, "kap serves MCP servers at /<server>, where"
                    + " <server> is a name from kap.toml; \"" + Names.printable(path) + "\" is not one");
        }
        return name;
    }

    private void checkHeaders(HttpExchange ex) {
        long size = 0;
        for (var e : ex.getRequestHeaders().entrySet()) {
            for (String v : e.getValue()) {
                size += e.getKey().length() + v.length() + 4;
            }
        }
        if (size > limits.maxHeaderBytes()) {
            throw new ProxyException(ProxyException.Kind.TOO_LARGE, "request headers larger than "
                    + limits.maxHeaderBytes() + " bytes (limit exceeded)");
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origin.matches("https?://(localhost|127\\.0\\.0\\.1|\\[::1])(:\\d+)?")) {
            throw new ProxyException(ProxyException.Kind.FORBIDDEN_ORIGIN, "kap refuses MCP requests from web pages"
                    + " (Origin " + Names.printable(origin) + ")");
        }
        String version = ex.getRequestHeaders().getFirst(Protocol.HEADER);
        if (version != null && !Protocol.SUPPORTED.contains(version)) {
            throw new ProxyException(ProxyException.Kind.BAD_PROTOCOL_VERSION, "kap speaks MCP protocol versions "
                    + Protocol.SUPPORTED + ", not \"" + Names.printable(version) + "\"");
        }
    }

    /** The request body, bounded in size and in time. */
    byte[] readBody(HttpExchange ex) throws IOException {
        InputStream in = ex.getRequestBody();
        try (Watchdog.Watch watch = watchdog.watch(ex::close, limits.requestBodyTimeout())) {
            byte[] body = in.readNBytes(limits.maxRequestBytes() + 1);
            if (watch.fired()) {
                throw new ProxyException(ProxyException.Kind.TOO_LARGE, "request body not received in time");
            }
            if (body.length > limits.maxRequestBytes()) {
                throw new ProxyException(ProxyException.Kind.TOO_LARGE, "request body larger than "
                        + limits.maxRequestBytes() + " bytes (limit exceeded); nothing was forwarded");
            }
            return body;
        }
    }

    /** The client's session: required for GET and DELETE; for POST, none when the client sent none. */
    Sessions.Session session(HttpExchange ex, String server, boolean required) {
        String id = ex.getRequestHeaders().getFirst(Protocol.SESSION);
        if (id == null) {
            if (required) {
                throw ProxyException.invalidRequest("this request needs an Mcp-Session-Id header; initialize first");
            }
            return null;
        }
        return sessions.find(id, server);
    }

    /** A slot for one GET stream of a session; closing it frees the slot. */
    interface StreamSlot extends AutoCloseable {
        @Override
        void close();
    }

    StreamSlot openStream(Sessions.Session s) {
        AtomicInteger n = streams.computeIfAbsent(s, k -> new AtomicInteger());
        if (n.incrementAndGet() > limits.streamsPerSession()) {
            n.decrementAndGet();
            throw new ProxyException(ProxyException.Kind.TOO_MANY, "this session already has "
                    + limits.streamsPerSession() + " open streams (limit exceeded)");
        }
        return () -> {
            if (n.decrementAndGet() == 0) {
                streams.remove(s, n);
            }
        };
    }

    private PinStore pins(Path authDir) {
        return pinStores.computeIfAbsent(authDir, d -> {
            PinStore store = PinStore.at(d);
            store.onEvent(audit::pin);
            return store;
        });
    }

    ListCache lists() {
        return lists;
    }

    ToolHashCache toolHashes() {
        return toolHashes;
    }

    Limits limits() {
        return limits;
    }

    Sessions sessions() {
        return sessions;
    }

    UpstreamClient upstream() {
        return upstream;
    }

    Relay relay() {
        return relay;
    }

    @Override
    public String name() {
        return "mcp";
    }

    @Override
    public List<InetSocketAddress> addresses() {
        return List.of(server.getAddress());
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sessions", sessions.size());
        s.put("requests", requests.get());
        s.put("in_flight", inFlight.get());
        return s;
    }

    @Override
    public void shutdown(long graceMillis) {
        long deadline = System.nanoTime() + graceMillis * 1_000_000L;
        while (inFlight.get() > streams.size() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // open streams never end on their own: end the upstream side, then stop() closes every connection
        relay.closeAll();
        server.stop(0);
        watchdog.close();
    }
}
