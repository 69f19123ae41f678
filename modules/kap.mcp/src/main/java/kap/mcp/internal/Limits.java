package kap.mcp.internal;

import java.time.Duration;

/**
 * Limits on everything an MCP client or upstream controls. The defaults suit a sidecar serving one capsule.
 *
 * @param maxRequestBytes a POST body; larger is answered 413
 * @param maxResponseBytes a JSON response body from the upstream; larger is answered 502
 * @param maxHeaderBytes all request headers together; larger is answered 413
 * @param maxConcurrent requests in flight at once; more are answered 429
 * @param sessionsPerServer client sessions per server; more are answered 429
 * @param sessionIdle a session unused this long is forgotten
 * @param streamsPerSession GET streams open at once per session
 * @param requestBodyTimeout time to send a request body (slow-sender guard)
 * @param upstreamTimeout time for the upstream to start answering a POST, and to finish a JSON answer
 * @param streamIdleTimeout an SSE stream with no event for this long is closed
 * @param connectTimeout time to connect to the upstream
 */
record Limits(int maxRequestBytes, int maxResponseBytes, int maxHeaderBytes, int maxConcurrent,
              int sessionsPerServer, Duration sessionIdle, int streamsPerSession, Duration requestBodyTimeout,
              Duration upstreamTimeout, Duration streamIdleTimeout, Duration connectTimeout) {

    static final Limits DEFAULTS = new Limits(4 * 1024 * 1024, 16 * 1024 * 1024, 32 * 1024, 1024, 64,
            Duration.ofHours(1), 2, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofSeconds(10));
}
