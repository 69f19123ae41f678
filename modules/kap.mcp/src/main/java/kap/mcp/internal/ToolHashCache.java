package kap.mcp.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Remembers each tool's pin hash with the definition it was computed from, so a list of 1,000 unchanged tools costs
 * 1,000 deep comparisons instead of 1,000 SHA-256 digests. Comparison is by {@link JsonNode#equals}, which ignores
 * key order exactly as {@link ToolHash} does. Bounded: past {@link #MAX_ENTRIES} it starts over. Thread-safe.
 */
final class ToolHashCache {

    static final int MAX_ENTRIES = 50_000;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(JsonNode name, JsonNode description, JsonNode inputSchema, String hash) {
    }

    String hash(String server, JsonNode tool) {
        String key = server + "\u0000" + tool.path("name").asText();
        JsonNode description = tool.path("description");
        JsonNode schema = tool.path("inputSchema");
        Entry e = entries.get(key);
        if (e != null && e.name().equals(tool.path("name")) && e.description().equals(description)
                && e.inputSchema().equals(schema)) {
            return e.hash();
        }
        String hash = ToolHash.of(tool);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(tool.path("name"), description, schema, Objects.requireNonNull(hash)));
        return hash;
    }
}
