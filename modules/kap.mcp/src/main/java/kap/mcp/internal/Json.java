package kap.mcp.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one strict JSON reader and writer of the proxy. Duplicate keys are an error (a tool name given twice could be
 * judged by one value and acted on by the other), and nesting, string and number sizes are bounded.
 */
final class Json {

    /** Deepest nesting accepted; real MCP messages (JSON Schemas included) stay far below it. */
    static final int MAX_DEPTH = 64;
    /** Longest string value accepted. */
    static final int MAX_STRING = 8 * 1024 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING).maxNumberLength(64).build())
            .build());

    private Json() {
    }

    /**
     * Parses strictly.
     *
     * @throws IOException with the parser's reason if the text is not one valid JSON value
     */
    static JsonNode read(byte[] bytes) throws IOException {
        JsonNode node = MAPPER.readTree(bytes);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty body");
        }
        return node;
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
