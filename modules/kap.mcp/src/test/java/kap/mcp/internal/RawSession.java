package kap.mcp.internal;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A hand-driven MCP session through kap with raw HTTP, for tests that send what no SDK would.
 */
final class RawSession {

    static final String INIT = """
            {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
            "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    final McpHarness kap;
    final String server;
    final String sessionId;
    final HttpResponse<String> initResponse;

    RawSession(McpHarness kap, String server) throws IOException, InterruptedException {
        this.kap = kap;
        this.server = server;
        this.initResponse = kap.post(server, "application/json", INIT, Map.of());
        this.sessionId = initResponse.headers().firstValue("Mcp-Session-Id").orElseThrow(() -> new IOException(
                "no session: " + initResponse.statusCode() + " " + initResponse.body()));
        HttpResponse<String> initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        if (initialized.statusCode() != 202) {
            throw new IOException("initialized: " + initialized.statusCode() + " " + initialized.body());
        }
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return kap.post(server, "application/json", body, Map.of("Mcp-Session-Id", sessionId,
                "MCP-Protocol-Version", "2025-06-18"));
    }

    /** The JSON-RPC messages of an answer, whether it came as JSON or as SSE events. */
    static JsonNode messages(HttpResponse<String> r) throws IOException {
        String type = r.headers().firstValue("Content-Type").orElse("");
        var all = Json.MAPPER.createArrayNode();
        if (type.startsWith("text/event-stream")) {
            for (String line : r.body().split("\n")) {
                if (line.startsWith("data: ") && line.length() > 6) {
                    JsonNode n = Json.MAPPER.readTree(line.substring(6));
                    if (n.isArray()) {
                        all.addAll((com.fasterxml.jackson.databind.node.ArrayNode) n);
                    } else {
                        all.add(n);
                    }
                }
            }
        } else if (!r.body().isEmpty()) {
            JsonNode n = Json.MAPPER.readTree(r.body());
            if (n.isArray()) {
                all.addAll((com.fasterxml.jackson.databind.node.ArrayNode) n);
            } else {
                all.add(n);
            }
        }
        return all;
    }
}
