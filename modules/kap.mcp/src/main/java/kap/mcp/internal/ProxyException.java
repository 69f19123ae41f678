package kap.mcp.internal;

import java.util.Objects;

/**
 * Every way a request to the MCP proxy fails before or instead of an upstream answer. Each carries a message that is
 * safe to show the client (no credentials, no upstream internals) and is turned into a response only by
 * {@link JsonRpcErrors}.
 */
final class ProxyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong; fixes the HTTP status and the JSON-RPC code. */
    enum Kind {
        /** The body is not JSON (JSON-RPC -32700). */
        PARSE_ERROR(400, -32700),
        /** The body is JSON but not a valid JSON-RPC message (-32600). */
        INVALID_REQUEST(400, -32600),
        /** No such server on this listener, or it is not registered. */
        UNKNOWN_SERVER(404, -32001),
        /** The session id is unknown, expired or belongs to another server. */
        UNKNOWN_SESSION(404, -32001),
        /** An HTTP method MCP does not use. */
        METHOD_NOT_ALLOWED(405, -32600),
        /** A POST that is not {@code application/json}. */
        UNSUPPORTED_MEDIA(415, -32600),
        /** A body, header or count over its limit. */
        TOO_LARGE(413, -32600),
        /** Too many sessions or streams. */
        TOO_MANY(429, -32001),
        /** A browser page's request (DNS-rebinding guard). */
        FORBIDDEN_ORIGIN(403, -32600),
        /** An MCP-Protocol-Version kap does not speak. */
        BAD_PROTOCOL_VERSION(400, -32600),
        /** The upstream could not be reached or answered something kap will not pass on. */
        UPSTREAM(502, -32603),
        /** The upstream did not answer in time. */
        UPSTREAM_TIMEOUT(504, -32603);

        final int status;
        final int rpcCode;

        Kind(int status, int rpcCode) {
            this.status = status;
            this.rpcCode = rpcCode;
        }
    }

    private final Kind kind;
    private final String safeMessage;
    private final String detail;

    ProxyException(Kind kind, String safeMessage) {
        this(kind, safeMessage, safeMessage);
    }

    private ProxyException(Kind kind, String safeMessage, String detail) {
        super(safeMessage);
        this.kind = Objects.requireNonNull(kind);
        this.safeMessage = Objects.requireNonNull(safeMessage);
        this.detail = detail;
    }

    /** The short why, for the audit log. */
    String detail() {
        return detail;
    }

    Kind kind() {
        return kind;
    }

    String safeMessage() {
        return safeMessage;
    }

    static ProxyException parseError(String why) {
        return new ProxyException(Kind.PARSE_ERROR, "kap refused the message: not valid JSON (" + why
                + "); nothing was forwarded", "not valid JSON: " + why);
    }

    static ProxyException invalidRequest(String why) {
        return new ProxyException(Kind.INVALID_REQUEST, "kap refused the message: not valid JSON-RPC 2.0 (" + why
                + "); nothing was forwarded", "not valid JSON-RPC: " + why);
    }

    static ProxyException upstream(String why) {
        return new ProxyException(Kind.UPSTREAM, why);
    }
}
