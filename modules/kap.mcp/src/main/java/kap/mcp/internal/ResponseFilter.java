package kap.mcp.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import kap.mcp.PinStore;
import kap.policy.Policy;

/**
 * Filters what the upstream sends back, message by message, whether it came as a JSON body or as one SSE event:
 * <ul>
 *     <li>list results ({@code tools}, {@code prompts}, {@code resources}, {@code resourceTemplates}) keep only entries
 *     whose name is safe and allowed; tools also pass the pin check, which pins new tools and holds back changed
 *     ones;</li>
 *     <li>an {@code initialize} result must name a protocol version kap speaks;</li>
 *     <li>{@code notifications/resources/updated} for a denied resource is dropped;</li>
 *     <li>anything that is not valid JSON-RPC is dropped.</li>
 * </ul>
 * When the request a response answers is unknown (a resumed stream), list-shaped results are filtered anyway. One
 * instance per upstream exchange; not thread-safe.
 */
final class ResponseFilter {

    private static final System.Logger LOG = System.getLogger("kap.mcp");
    private static final Set<String> LISTS = Set.of("tools/list", "prompts/list", "resources/list",
            "resources/templates/list");

    private final Policy policy;
    private final String server;
    private final PinStore pins;
    private final McpAudit audit;
    private final ToolHashCache hashes;
    private String negotiated;
    private boolean modified;
    private final List<Listed> listed = new java.util.ArrayList<>();

    /** One list that was filtered: what the audit line said. */
    record Listed(String method, int shown, int hidden) {
    }

    private final ListCache lists;
    private Runnable onMessage = () -> { };

    ResponseFilter(Policy policy, String server, PinStore pins, McpAudit audit, ToolHashCache hashes,
                   ListCache lists) {
        this.policy = policy;
        this.server = server;
        this.pins = pins;
        this.audit = audit;
        this.hashes = hashes;
        this.lists = lists;
    }

    /** Called with every message from the upstream: a GET stream keeps its session alive this way. */
    void onMessage(Runnable action) {
        this.onMessage = action;
    }

    /** Whether the one pending request is a list, whose answer {@link ListCache} may serve. */
    boolean cacheable(Map<String, String> pending) {
        return pending.size() == 1 && LISTS.contains(pending.values().iterator().next());
    }

    /** A list answer through the cache; {@code null} if it is not a plain result (filter it the ordinary way). */
    byte[] cached(byte[] message, String method) throws IOException {
        return lists.filter(message, server, method, policy, pins, this, audit);
    }

    /** Whether any message filtered since {@link #clearModified()} was changed or dropped. */
    boolean modified() {
        return modified;
    }

    void clearModified() {
        modified = false;
    }

    /** The protocol version an {@code initialize} result carried, once one passed. */
    String negotiated() {
        return negotiated;
    }

    /**
     * Filters one message.
     *
     * @param msg the message
     * @param method the method of the request it answers, or {@code null} if unknown
     * @return the message to send (the same node, possibly modified in place), or {@code null} to drop it
     */
    JsonNode filter(JsonNode msg, String method) {
        onMessage.run();
        JsonRpc.Entry entry = JsonRpc.entry(msg);
        if (!entry.valid()) {
            modified = true;
            LOG.log(System.Logger.Level.WARNING, "[mcp] " + server + ": dropped an invalid upstream message: "
                    + entry.invalid());
            return null;
        }
        JsonRpc.Message m = entry.message();
        if (m.kind() == JsonRpc.Kind.NOTIFICATION) {
            boolean deniedUpdate = "notifications/resources/updated".equals(m.method())
                    && !resourceAllowed(m.params().path("uri"));
            modified |= deniedUpdate;
            return deniedUpdate ? null : msg;
        }
        JsonNode result = msg.path("result");
        if (m.kind() != JsonRpc.Kind.RESPONSE || !result.isObject()) {
            return msg;
        }
        if ("initialize".equals(method)) {
            return initialize(m);
        }
        if (method == null || LISTS.contains(method)) {
            filterLists((ObjectNode) result);
        }
        return msg;
    }

    private JsonNode initialize(JsonRpc.Message m) {
        String version = m.node().path("result").path("protocolVersion").asText("");
        if (!Protocol.SUPPORTED.contains(version)) {
            modified = true;
            return JsonRpcErrors.upstreamError(m.id(), "the MCP server negotiated protocol version \""
                    + Names.printable(version) + "\", which kap does not speak (it speaks " + Protocol.SUPPORTED + ")");
        }
        negotiated = version;
        return m.node();
    }

    private void filterLists(ObjectNode result) {
        if (result.get("tools") instanceof ArrayNode tools) {
            filterTools(tools);
        }
        if (result.get("prompts") instanceof ArrayNode prompts) {
            retain(prompts, "prompts/list", p -> p.path("name").isTextual() && Names.safeName(p.get("name").asText())
                    && policy.decideMcpPrompt(server, p.get("name").asText()).allowed());
        }
        if (result.get("resources") instanceof ArrayNode resources) {
            retain(resources, "resources/list", r -> resourceAllowed(r.path("uri")));
        }
        if (result.get("resourceTemplates") instanceof ArrayNode templates) {
            retain(templates, "resources/templates/list", r -> resourceAllowed(r.path("uriTemplate")));
        }
    }

    private void filterTools(ArrayNode tools) {
        Map<String, String> shownHashes = new LinkedHashMap<>();
        int before = tools.size();
        retain(tools, null, t -> {
            JsonNode name = t.path("name");
            if (!name.isTextual() || !Names.safeName(name.asText()) || shownHashes.containsKey(name.asText())) {
                return false;
            }
            boolean allowed = policy.decideMcpTool(server, name.asText()).allowed();
            if (allowed) {
                shownHashes.put(name.asText(), hashes.hash(server, t));
            }
            return allowed;
        });
        Map<String, Boolean> shown;
        try {
            shown = pins.observe(server, shownHashes);
        } catch (IOException | RuntimeException e) {
            // fail closed: without a working pin store no tool can be vouched for
            LOG.log(System.Logger.Level.ERROR, "[mcp] " + server + ": pin store failed, hiding every tool: " + e);
            shown = Map.of();
        }
        Map<String, Boolean> finalShown = shown;
        retain(tools, null, t -> finalShown.getOrDefault(t.path("name").asText(), false));
        listed("tools/list", tools.size(), before - tools.size());
    }

    private void listed(String method, int shown, int hidden) {
        listed.add(new Listed(method, shown, hidden));
        audit.listed(server, method, shown, hidden);
    }

    /** The lists filtered so far, in order. */
    List<Listed> listed() {
        return List.copyOf(listed);
    }

    private boolean resourceAllowed(JsonNode uri) {
        return uri.isTextual() && Names.safeUri(uri.asText()) && policy.decideMcpResource(server, uri.asText())
                .allowed();
    }

    private void retain(ArrayNode array, String auditAs, java.util.function.Predicate<JsonNode> keep) {
        int before = array.size();
        List<JsonNode> kept = new java.util.ArrayList<>(before);
        for (JsonNode e : array) {
            if (e.isObject() && keep.test(e)) {
                kept.add(e);
            }
        }
        if (kept.size() != before) {
            modified = true;
            array.removeAll();
            array.addAll(kept);
        }
        if (auditAs != null) {
            listed(auditAs, kept.size(), before - kept.size());
        }
    }
}
