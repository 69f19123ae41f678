package kap.mcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import kap.mcp.PinStore;
import kap.policy.Policy;

/**
 * One client request to one server, judged against one policy snapshot: POST (messages), GET (the server's stream)
 * or DELETE (end the session).
 */
final class Call {

    private final McpProxy proxy;
    private final HttpExchange ex;
    private final Policy policy;
    private final String server;
    private final Upstreams.Target target;
    private final PinStore pins;
    private final McpAudit audit;
    private Sessions.Session createdSession;

    Call(McpProxy proxy, HttpExchange ex, Policy policy, String server, Upstreams.Target target, PinStore pins,
         McpAudit audit) {
        this.proxy = proxy;
        this.ex = ex;
        this.policy = policy;
        this.server = server;
        this.target = target;
        this.pins = pins;
        this.audit = audit;
    }

    void post() throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            audit.malformed(server, "content type " + Names.printable(type) + " instead of application/json",
                    type != null && type.contains("event-stream") ? "sse" : "http");
            throw new ProxyException(ProxyException.Kind.UNSUPPORTED_MEDIA, "kap refused the message: MCP messages"
                    + " are POSTed as application/json, not " + Names.printable(type) + "; nothing was forwarded");
        }
        byte[] body = proxy.readBody(ex);
        JsonRpc.Body parsed;
        try {
            parsed = JsonRpc.parse(body);
        } catch (ProxyException e) {
            audit.malformed(server, e.detail(), "json");
            throw e;
        }
        String transport = parsed.batch() ? "batch" : "json";
        List<ObjectNode> kapErrors = new ArrayList<>();
        List<JsonNode> forward = new ArrayList<>();
        Map<String, String> pending = new HashMap<>();
        boolean modified = false;
        boolean initialize = false;
        Judge judge = new Judge(policy, server, pins);
        for (JsonRpc.Entry entry : parsed.entries()) {
            if (!entry.valid()) {
                audit.malformed(server, entry.invalid(), transport);
                kapErrors.add(JsonRpcErrors.invalidEntry(entry.id(), entry.invalid()));
                continue;
            }
            JsonRpc.Message m = entry.message();
            Ruling r = judge.judge(m);
            audit.ruling(server, r, transport);
            if (!r.allowed()) {
                if (m.kind() == JsonRpc.Kind.REQUEST) {
                    kapErrors.add(JsonRpcErrors.denial(server, m.id(), r));
                }
                continue;
            }
            if ("initialize".equals(m.method())) {
                initialize = true;
                modified |= offerSupportedVersion(m);
            }
            if (m.kind() == JsonRpc.Kind.REQUEST) {
                pending.put(m.idKey(), m.method());
            }
            forward.add(m.node());
        }
        Sessions.Session session = initialize ? null : proxy.session(ex, server, false);
        if (forward.isEmpty()) {
            answerLocally(kapErrors, parsed.batch());
            return;
        }
        byte[] upBody = parsed.batch() ? Json.write(Json.MAPPER.createArrayNode().addAll(forward))
                : modified || forward.size() != parsed.entries().size() ? Json.write(forward.get(0)) : body;
        HttpResponse<InputStream> up = proxy.upstream().send(server, target, "POST", upBody,
                mcpHeaders(session, null), proxy.limits().upstreamTimeout());
        ResponseFilter filter = new ResponseFilter(policy, server, pins, audit, proxy.toolHashes(), proxy.lists());
        if (initialize) {
            adoptSession(up);
        }
        proxy.relay().relay(ex, up, filter, pending, kapErrors, parsed.batch());
        if (filter.negotiated() != null && createdSession != null) {
            createdSession.protocolVersion = filter.negotiated();
        }
    }

    void get() throws IOException {
        Sessions.Session session = proxy.session(ex, server, true);
        String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
        if (last != null && (last.length() > 256 || !Names.safeUri(last))) {
            throw ProxyException.invalidRequest("Last-Event-ID must be printable ASCII of at most 256 characters");
        }
        try (McpProxy.StreamSlot ignored = proxy.openStream(session)) {
            HttpResponse<InputStream> up = proxy.upstream().send(server, target, "GET", null,
                    mcpHeaders(session, last), proxy.limits().upstreamTimeout());
            ResponseFilter filter = new ResponseFilter(policy, server, pins, audit, proxy.toolHashes(), proxy.lists());
            filter.onMessage(() -> session.lastUsed = System.nanoTime());
            proxy.relay().relay(ex, up, filter, Map.of(), List.of(), false);
        }
    }

    void delete() throws IOException {
        Sessions.Session session = proxy.session(ex, server, true);
        proxy.sessions().remove(session);
        HttpResponse<InputStream> up = proxy.upstream().send(server, target, "DELETE", null,
                mcpHeaders(session, null), proxy.limits().upstreamTimeout());
        UpstreamClient.closeQuietly(up);
        ex.sendResponseHeaders(up.statusCode() == 405 ? 405 : up.statusCode() / 100 == 2 ? 200 : up.statusCode(),
                -1);
    }

    /** A client asking for a version kap does not speak is offered kap's latest, as a server would. */
    private static boolean offerSupportedVersion(JsonRpc.Message m) {
        JsonNode params = m.params();
        if (params instanceof ObjectNode p && !Protocol.SUPPORTED.contains(p.path("protocolVersion").asText(""))) {
            p.put("protocolVersion", Protocol.LATEST);
            return true;
        }
        return false;
    }

    private void adoptSession(HttpResponse<InputStream> up) {
        String upstreamId = up.headers().firstValue(Protocol.SESSION).orElse(null);
        if (up.statusCode() / 100 != 2 || upstreamId == null) {
            return;
        }
        try {
            createdSession = proxy.sessions().create(server, upstreamId, null);
        } catch (ProxyException e) {
            UpstreamClient.closeQuietly(up);
            throw e;
        }
        ex.getResponseHeaders().set(Protocol.SESSION, createdSession.id);
    }

    private void answerLocally(List<ObjectNode> kapErrors, boolean batch) throws IOException {
        if (kapErrors.isEmpty()) {
            ex.sendResponseHeaders(202, -1);
        } else if (batch) {
            ArrayNode all = Json.MAPPER.createArrayNode();
            kapErrors.forEach(all::add);
            Relay.send(ex, 200, all);
        } else {
            Relay.send(ex, 200, kapErrors.get(0));
        }
    }

    private Map<String, String> mcpHeaders(Sessions.Session session, String lastEventId) {
        Map<String, String> h = new LinkedHashMap<>();
        String version = ex.getRequestHeaders().getFirst(Protocol.HEADER);
        if (version == null && session != null) {
            version = session.protocolVersion;
        }
        if (version != null) {
            h.put(Protocol.HEADER, version);
        }
        if (session != null) {
            h.put(Protocol.SESSION, session.upstreamId);
        }
        if (lastEventId != null) {
            h.put("Last-Event-ID", lastEventId);
        }
        return h;
    }
}
