package kap.mcp.internal;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import kap.policy.Reasons;

/**
 * The one place where failures and denials become wire responses: HTTP statuses with a JSON-RPC error body for
 * {@link ProxyException}s, and JSON-RPC error responses (with the request's id) for denied messages.
 *
 * <p>JSON-RPC codes: {@code -32700} parse error, {@code -32600} invalid request, {@code -32601} a method kap does not
 * forward, {@code -32602} a denied tool, prompt or resource (what MCP servers answer for an unknown tool, which a
 * hidden tool is to the agent), {@code -32001} unknown server or session, {@code -32603} upstream failure.
 */
final class JsonRpcErrors {

    static final int METHOD_NOT_FOUND = -32601;
    static final int DENIED = -32602;

    private JsonRpcErrors() {
    }

    /** Sends a failure as an HTTP response; the exchange is closed afterwards. */
    static void send(HttpExchange exchange, ProxyException e) {
        try {
            byte[] body = Json.write(error(NullNode.instance, e.kind().rpcCode, e.safeMessage(), null));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (e.kind() == ProxyException.Kind.METHOD_NOT_ALLOWED) {
                exchange.getResponseHeaders().set("Allow", "GET, POST, DELETE");
            }
            exchange.sendResponseHeaders(e.kind().status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException | IllegalStateException ignored) {
            // the client is gone, or headers were already sent (a stream that failed midway): nothing more to say
        } finally {
            exchange.close();
        }
    }

    /** The JSON-RPC error answering a denied message. */
    static ObjectNode denial(String server, JsonNode id, Ruling r) {
        ObjectNode data = Json.object();
        ObjectNode kap = data.putObject("kap");
        kap.put("server", server);
        kap.put("method", r.method());
        if (r.name() != null) {
            kap.put(r.kind(), Names.printable(r.name()));
        }
        kap.put("reason", r.decision().reason());
        kap.put("rule", r.decision().rule().orElse(null));
        int code = Reasons.METHOD_NOT_ALLOWED.equals(r.decision().reason()) ? METHOD_NOT_FOUND : DENIED;
        return error(id, code, Denials.message(server, r), data);
    }

    /** The JSON-RPC error answering an invalid entry of a batch. */
    static ObjectNode invalidEntry(JsonNode id, String why) {
        return error(id, ProxyException.Kind.INVALID_REQUEST.rpcCode, "kap refused the message: not valid JSON-RPC"
                + " 2.0 (" + why + "); it was not forwarded", null);
    }

    /** The JSON-RPC error replacing an upstream answer kap will not pass on. */
    static ObjectNode upstreamError(JsonNode id, String why) {
        return error(id, ProxyException.Kind.UPSTREAM.rpcCode, why, null);
    }

    private static ObjectNode error(JsonNode id, int code, String message, ObjectNode data) {
        ObjectNode n = Json.object();
        n.put("jsonrpc", "2.0");
        n.set("id", id == null ? NullNode.instance : id);
        ObjectNode err = n.putObject("error");
        err.put("code", code);
        err.put("message", message);
        if (data != null) {
            err.set("data", data);
        }
        return n;
    }
}
