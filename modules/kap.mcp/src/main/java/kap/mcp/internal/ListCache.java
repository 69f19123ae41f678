package kap.mcp.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import kap.mcp.PinStore;
import kap.policy.Policy;

/**
 * Makes repeated list answers cheap: a {@code tools/list} of 1,000 tools is the same bytes every time, and with the
 * same policy snapshot and the same pins it filters to the same answer. Per server it keeps the last list result's
 * raw bytes and what filtering made of them; an answer whose {@code result} bytes are identical (compared after one
 * strict tokenizing pass, which still refuses duplicate keys and checks the JSON-RPC envelope) reuses that instead of
 * building a tree, hashing every tool and serialising again. Any difference (policy reload, pin change, new bytes)
 * takes the full path. Thread-safe.
 */
final class ListCache {

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Policy policy, long pins, String method, int start, byte[] raw, byte[] filtered,
                         List<ResponseFilter.Listed> listed) {
    }

    /** Where the {@code result} value sits in a message, if the message is a plain JSON-RPC result. */
    private record Span(int start, int end) {
    }

    /**
     * Filters one list answer.
     *
     * @return the bytes to send, or {@code null} if the message is not a plain list result (the caller filters it
     *         the ordinary way)
     */
    byte[] filter(byte[] message, String server, String method, Policy policy, PinStore pins, ResponseFilter filter,
                  McpAudit audit) throws IOException {
        long version = pins.version(server);
        Entry e = entries.get(server);
        if (e != null && e.policy() == policy && e.pins() == version && e.method().equals(method)) {
            Span same = sameResult(message, e);
            if (same != null) {
                e.listed().forEach(l -> audit.listed(server, l.method(), l.shown(), l.hidden()));
                return e.filtered() == null ? message : splice(message, same, e.filtered());
            }
        }
        Span span = span(message);
        if (span == null) {
            return null;
        }
        JsonNode root = Json.read(message);
        filter.clearModified();
        JsonNode out = filter.filter(root, method);
        if (out == null || out != root) {
            return out == null ? null : Json.write(out);
        }
        byte[] filtered = filter.modified() ? Json.write(root.get("result")) : null;
        entries.put(server, new Entry(policy, pins.version(server), method, span.start(),
                Arrays.copyOfRange(message, span.start(), span.end()), filtered, filter.listed()));
        return filtered == null ? message : splice(message, span, filtered);
    }

    /**
     * Whether the message holds, at the cached offset, exactly the cached result bytes (a complete JSON object that
     * was checked when it was cached) inside a valid envelope. The envelope is checked by parsing it with an empty
     * object in the result's place, which costs a few bytes of parsing instead of the whole list.
     */
    private static Span sameResult(byte[] message, Entry e) throws IOException {
        int end = e.start() + e.raw().length;
        if (end > message.length || !Arrays.equals(e.raw(), 0, e.raw().length, message, e.start(), end)) {
            return null;
        }
        Span outer = new Span(e.start(), end);
        Span inner = span(splice(message, outer, new byte[] {'{', '}'}));
        return inner != null && inner.start() == e.start() && inner.end() == e.start() + 2 ? outer : null;
    }

    private static byte[] splice(byte[] message, Span span, byte[] result) {
        byte[] out = new byte[span.start() + result.length + message.length - span.end()];
        System.arraycopy(message, 0, out, 0, span.start());
        System.arraycopy(result, 0, out, span.start(), result.length);
        System.arraycopy(message, span.end(), out, span.start() + result.length, message.length - span.end());
        return out;
    }

    /** One strict pass: an object with exactly "jsonrpc":"2.0", an id and an object "result". */
    private static Span span(byte[] message) throws IOException {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(message)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int start = -1;
            int end = -1;
            boolean version = false;
            boolean id = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "jsonrpc" -> version = value == JsonToken.VALUE_STRING && "2.0".equals(p.getText());
                    case "id" -> id = value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT;
                    case "result" -> {
                        if (value != JsonToken.START_OBJECT) {
                            return null;
                        }
                        start = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        end = (int) p.currentLocation().getByteOffset();
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return version && id && start >= 0 && p.nextToken() == null ? new Span(start, end) : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // the full path reports it
            return null;
        }
    }
}
