package kap.mcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * Carries one upstream answer to the client, filtered: a JSON body is read whole (bounded), filtered and re-sent with
 * its content type; an SSE stream is passed on event by event as it arrives, each event filtered, its id kept. Kap's
 * own errors (denied entries of a batch) are merged in: into the JSON array, or as the first events of the stream.
 * Anything else on a success status is refused (fail closed).
 */
final class Relay {

    private final Limits limits;
    private final Watchdog watchdog;
    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();

    Relay(Limits limits, Watchdog watchdog) {
        this.limits = limits;
        this.watchdog = watchdog;
    }

    /**
     * Relays and closes the upstream body.
     *
     * @param pending request id key to method, for the requests this answer may answer
     * @param kapErrors kap's answers to denied entries, sent along
     * @param batch whether the client sent a batch (JSON answers are then arrays)
     */
    void relay(HttpExchange ex, HttpResponse<InputStream> up, ResponseFilter filter, Map<String, String> pending,
               List<ObjectNode> kapErrors, boolean batch) throws IOException {
        open.add(up.body());
        try (InputStream body = up.body()) {
            int status = up.statusCode();
            String type = up.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            if (status / 100 == 2 && type.startsWith("text/event-stream")) {
                stream(ex, status, body, filter, pending, kapErrors);
            } else if (type.startsWith("application/json")) {
                json(ex, status, body, filter, pending, kapErrors, batch);
            } else {
                other(ex, status, body, kapErrors, batch);
            }
        } finally {
            open.remove(up.body());
        }
    }

    /** Ends every upstream body still being relayed, so handlers blocked on them return (shutdown). */
    void closeAll() {
        for (InputStream in : open) {
            try {
                in.close();
            } catch (IOException ignored) {
                // best effort at shutdown
            }
        }
    }

    private void json(HttpExchange ex, int status, InputStream body, ResponseFilter filter,
                      Map<String, String> pending, List<ObjectNode> kapErrors, boolean batch) throws IOException {
        byte[] bytes = read(body, limits.maxResponseBytes());
        if (status == 200 && !batch && kapErrors.isEmpty() && pending.size() == 1 && filter.cacheable(pending)) {
            byte[] fast = filter.cached(bytes, pending.values().iterator().next());
            if (fast != null) {
                sendBytes(ex, status, fast);
                return;
            }
        }
        JsonNode root;
        try {
            root = Json.read(bytes);
        } catch (IOException e) {
            throw ProxyException.upstream("the MCP server sent invalid JSON; kap does not pass it on");
        }
        if (status / 100 != 2) {
            // an error status (a session the upstream ended, a bad request): pass it on, filtered all the same
            JsonNode filtered = root.isObject() ? filter.filter(root, null) : null;
            send(ex, status, filtered == null ? Json.object().put("error", "upstream error") : filtered);
            return;
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        kapErrors.forEach(out::add);
        filter.clearModified();
        for (JsonNode m : root.isArray() ? root : List.of(root)) {
            JsonNode f = filter.filter(m, methodOf(pending, m));
            if (f != null) {
                out.add(f);
            }
        }
        if (!filter.modified() && kapErrors.isEmpty()) {
            sendBytes(ex, status, bytes);
        } else if (!batch && out.size() == 1) {
            send(ex, status, out.get(0));
        } else if (!batch && out.isEmpty()) {
            ex.sendResponseHeaders(202, -1);
        } else {
            send(ex, status, out);
        }
    }

    private void stream(HttpExchange ex, int status, InputStream body, ResponseFilter filter,
                        Map<String, String> pending, List<ObjectNode> kapErrors) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(status, 0);
        Sse.Reader reader = new Sse.Reader(body);
        try (OutputStream out = ex.getResponseBody();
             Watchdog.Watch watch = watchdog.watch(body, limits.streamIdleTimeout())) {
            // the client must see the stream open now, not with the first event (a GET stream may idle for long)
            out.flush();
            for (ObjectNode e : kapErrors) {
                Sse.write(out, new Sse.Event(null, null, new String(Json.write(e), StandardCharsets.UTF_8), null));
            }
            Sse.Event e;
            while ((e = reader.next()) != null) {
                watch.touch();
                Sse.Event f = filterEvent(e, filter, pending);
                if (f != null) {
                    Sse.write(out, f);
                }
            }
        }
    }

    /** Filters one event; {@code null} drops it. Events without data (priming events, retry hints) pass. */
    private static Sse.Event filterEvent(Sse.Event e, ResponseFilter filter, Map<String, String> pending) {
        if (e.data() == null || e.data().isEmpty()) {
            return e;
        }
        JsonNode root;
        try {
            root = Json.read(e.data().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            // not JSON-RPC: kap cannot judge it, so the client does not get it
            return null;
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        filter.clearModified();
        for (JsonNode m : root.isArray() ? root : List.of(root)) {
            JsonNode f = filter.filter(m, methodOf(pending, m));
            if (f != null) {
                out.add(f);
            }
        }
        if (!filter.modified()) {
            return e;
        }
        if (out.isEmpty()) {
            return e.id() == null ? null : new Sse.Event(e.id(), e.event(), "", e.retry());
        }
        JsonNode send = root.isArray() ? out : out.get(0);
        return new Sse.Event(e.id(), e.event(), new String(Json.write(send), StandardCharsets.UTF_8), e.retry());
    }

    /** The method of the request a message answers; null when unknown (Map.of() refuses null keys). */
    private static String methodOf(Map<String, String> pending, JsonNode m) {
        String key = JsonRpc.key(m.get("id"));
        return key == null ? null : pending.get(key);
    }

    private void other(HttpExchange ex, int status, InputStream body, List<ObjectNode> kapErrors, boolean batch)
            throws IOException {
        read(body, limits.maxResponseBytes());
        if (status / 100 == 2 && (status == 202 || status == 204)) {
            if (kapErrors.isEmpty()) {
                ex.sendResponseHeaders(status, -1);
            } else {
                send(ex, 200, batch ? Json.MAPPER.createArrayNode().addAll(kapErrors) : kapErrors.get(0));
            }
            return;
        }
        if (status / 100 == 2) {
            throw ProxyException.upstream("the MCP server answered with a content type kap cannot judge; kap does"
                    + " not pass it on");
        }
        send(ex, status, JsonRpcErrors.upstreamError(null, "the MCP server answered HTTP " + status));
    }

    private byte[] read(InputStream body, int max) throws IOException {
        try (Watchdog.Watch ignored = watchdog.watch(body, limits.upstreamTimeout())) {
            byte[] bytes = body.readNBytes(max + 1);
            if (bytes.length > max) {
                throw ProxyException.upstream("the MCP server's answer is larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    static void send(HttpExchange ex, int status, JsonNode node) throws IOException {
        sendBytes(ex, status, Json.write(node));
    }

    private static void sendBytes(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
