package kap.mcp.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON-RPC 2.0 messages as MCP uses them, parsed strictly. A message is a request (method and id), a notification
 * (method, no id) or a response (id and exactly one of result or error). Anything else, an unknown top-level member,
 * a {@code null} or fractional id, a batch that is empty or longer than {@link #MAX_BATCH}, is invalid.
 */
final class JsonRpc {

    /** Entries in one batch. */
    static final int MAX_BATCH = 64;

    private static final Set<String> MEMBERS = Set.of("jsonrpc", "id", "method", "params", "result", "error");

    private JsonRpc() {
    }

    enum Kind { REQUEST, NOTIFICATION, RESPONSE }

    /** A valid message. */
    record Message(ObjectNode node, Kind kind, String method, JsonNode id) {
        JsonNode params() {
            return node.path("params");
        }

        /** The id as a map key ("s:abc" or "n:1"), or null. */
        String idKey() {
            return key(id);
        }
    }

    /** One entry of a body: a valid message, or the reason it is invalid and the id it carried (or JSON null). */
    record Entry(Message message, String invalid, JsonNode id) {
        boolean valid() {
            return message != null;
        }
    }

    /** A parsed POST body. */
    record Body(boolean batch, List<Entry> entries) {
    }

    /**
     * Parses a body.
     *
     * @throws ProxyException (malformed) if it is not JSON, or a single message that is not valid JSON-RPC
     */
    static Body parse(byte[] bytes) {
        JsonNode root;
        try {
            root = Json.read(bytes);
        } catch (IOException e) {
            throw ProxyException.parseError(clean(e.getMessage()));
        }
        if (root.isArray()) {
            if (root.isEmpty() || root.size() > MAX_BATCH) {
                throw ProxyException.invalidRequest("a batch must hold 1 to " + MAX_BATCH + " messages");
            }
            List<Entry> entries = new ArrayList<>();
            root.forEach(n -> entries.add(entry(n)));
            return new Body(true, entries);
        }
        Entry single = entry(root);
        if (!single.valid()) {
            throw ProxyException.invalidRequest(single.invalid());
        }
        return new Body(false, List.of(single));
    }

    static Entry entry(JsonNode n) {
        JsonNode id = n.isObject() && n.has("id") && (n.get("id").isTextual() || n.get("id").isIntegralNumber())
                ? n.get("id") : NullNode.instance;
        String why = invalid(n);
        if (why != null) {
            return new Entry(null, why, id);
        }
        ObjectNode o = (ObjectNode) n;
        Kind kind = o.has("method") ? (o.has("id") ? Kind.REQUEST : Kind.NOTIFICATION) : Kind.RESPONSE;
        return new Entry(new Message(o, kind, o.path("method").asText(null), o.get("id")), null, id);
    }

    private static String invalid(JsonNode n) {
        if (!n.isObject()) {
            return "a JSON-RPC message must be an object";
        }
        if (!"2.0".equals(n.path("jsonrpc").textValue())) {
            return "\"jsonrpc\" must be \"2.0\"";
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!MEMBERS.contains(f)) {
                return "unknown member \"" + Names.printable(f) + "\"";
            }
        }
        JsonNode id = n.get("id");
        // an error answering something unparseable carries a null id
        if (id != null && !(id.isTextual() || id.isIntegralNumber()) && !(id.isNull() && n.has("error"))) {
            return "\"id\" must be a string or an integer";
        }
        if (n.has("method")) {
            if (!n.get("method").isTextual() || n.get("method").asText().isEmpty()) {
                return "\"method\" must be a non-empty string";
            }
            if (n.has("result") || n.has("error")) {
                return "a request cannot carry \"result\" or \"error\"";
            }
            JsonNode params = n.get("params");
            return params != null && !params.isObject() ? "\"params\" must be an object" : null;
        }
        if (id == null || n.has("params") || n.has("result") == n.has("error")) {
            return "a response needs an \"id\" and exactly one of \"result\" or \"error\"";
        }
        return null;
    }

    static String key(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        return (id.isTextual() ? "s:" : "n:") + id.asText();
    }

    /** Jackson's messages quote the source; keep the first line, without the location suffix. */
    private static String clean(String message) {
        if (message == null) {
            return "not valid JSON";
        }
        String first = message.lines().findFirst().orElse(message);
        int at = first.indexOf(" at [Source");
        return Names.printable(at > 0 ? first.substring(0, at) : first);
    }
}
