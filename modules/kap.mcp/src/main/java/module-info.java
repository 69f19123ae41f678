/**
 * kap.mcp: the MCP proxy and the {@code kap mcp} registration client.
 *
 * <p>On the sidecar it serves MCP Streamable HTTP on {@code [mcp] listen} (default {@code :3129}), one path per
 * configured server ({@code /<server>}). It judges every JSON-RPC message against {@code [[mcp.servers]]}: tool,
 * resource and prompt lists are filtered (JSON and every SSE event), denied calls are answered by kap and never
 * forwarded, batches are judged per entry, malformed messages are refused. Each client session gets its own upstream
 * session. Tool definitions are pinned on first sight; a changed one is hidden until a human approves it. Credentials
 * are added on the sidecar by {@link kap.mcp.spi.AuthInjectorProvider}s; the capsule never sees them.
 *
 * <p>On the host, {@link kap.mcp.Registrar} registers servers ({@code kap mcp add}: static headers, or OAuth 2.1 with
 * RFC 9728/8414 discovery, dynamic client registration, PKCE and a loopback callback), {@link kap.mcp.AuthStore}
 * keeps the auth files ({@code ~/.kap/auth/<name>.json}, mode 0600) and {@link kap.mcp.PinStore} approves changed
 * tools ({@code kap mcp approve}).
 *
 * <p>See {@code docs/MCP.md}.
 *
 * @uses kap.mcp.spi.AuthInjectorProvider
 * @provides kap.sidecar.spi.ListenerProvider the {@code mcp} listener, when {@code [mcp]} is present
 * @provides kap.mcp.spi.AuthInjectorProvider {@code headers} (static headers with {@code ${VAR}}), {@code bearer}
 *         and {@code oauth} (OAuth 2.1 access token with refresh under a file lock)
 */
module kap.mcp {
    requires transitive kap.policy;
    requires kap.sidecar;
    requires jdk.httpserver;
    requires transitive java.net.http;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;

    exports kap.mcp;
    exports kap.mcp.spi;

    uses kap.mcp.spi.AuthInjectorProvider;

    provides kap.sidecar.spi.ListenerProvider with kap.mcp.internal.McpListenerProvider;
    provides kap.mcp.spi.AuthInjectorProvider with
            kap.mcp.internal.HeadersInjectorProvider,
            kap.mcp.internal.BearerInjectorProvider,
            kap.mcp.internal.OAuthInjectorProvider;
}
