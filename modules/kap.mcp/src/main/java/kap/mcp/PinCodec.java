package kap.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The pin file format: {@code {"server": "x", "tools": {"<tool>": {"sha256", "pinned_at", "pending_sha256",
 * "changed_at"}}}}.
 */
final class PinCodec {

    /** Pin files bigger than this are refused. */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(SerializationFeature.INDENT_OUTPUT);

    private PinCodec() {
    }

    static Map<String, Pin> read(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("pin file larger than " + MAX_BYTES + " bytes");
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            Map<String, Pin> pins = new LinkedHashMap<>();
            root.path("tools").properties().forEach(e -> {
                JsonNode p = e.getValue();
                pins.put(e.getKey(), new Pin(e.getKey(), p.path("sha256").asText(), instant(p.get("pinned_at"))
                        .orElse(Instant.EPOCH), text(p.get("pending_sha256")), instant(p.get("changed_at"))));
            });
            return pins;
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalArgumentException("invalid pin file: " + e.getMessage());
        }
    }

    static byte[] write(String server, Map<String, Pin> pins) {
        ObjectNode root = JSON.createObjectNode();
        root.put("server", server);
        ObjectNode tools = root.putObject("tools");
        pins.values().stream().sorted(java.util.Comparator.comparing(Pin::tool)).forEach(p -> {
            ObjectNode n = tools.putObject(p.tool());
            n.put("sha256", p.sha256());
            n.put("pinned_at", p.pinnedAt().toString());
            p.pendingSha256().ifPresent(h -> n.put("pending_sha256", h));
            p.changedAt().ifPresent(t -> n.put("changed_at", t.toString()));
        });
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> text(JsonNode n) {
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    private static Optional<Instant> instant(JsonNode n) {
        return text(n).map(Instant::parse);
    }
}
