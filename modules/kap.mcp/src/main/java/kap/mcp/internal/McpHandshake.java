package kap.mcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import kap.mcp.ToolInfo;

/**
 * A minimal MCP client for the host: {@code initialize}, {@code notifications/initialized}, {@code tools/list} (all
 * pages), then {@code DELETE} of the session. Used by {@code kap mcp add} to verify an endpoint and by
 * {@code kap mcp get} to show its tools. Answers may be JSON or SSE.
 */
public final class McpHandshake {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final int MAX_BYTES = 16 * 1024 * 1024;
    static final int MAX_PAGES = 50;

    private final HttpClient http;

    /**
     * A client.
     *
     * @param http the HTTP client
     */
    public McpHandshake(HttpClient http) {
        this.http = http;
    }

    /** The upstream answered 401; carries the {@code WWW-Authenticate} challenge for OAuth discovery. */
    public static final class Unauthorized extends IOException {
        private static final long serialVersionUID = 1L;
        private final String challenge;

        Unauthorized(String challenge) {
            super("HTTP 401 (authorization required)");
            this.challenge = challenge;
        }

        /**
         * The {@code WWW-Authenticate} header, or empty.
         *
         * @return challenge
         */
        public String challenge() {
            return challenge;
        }
    }

    /**
     * Runs the handshake and lists the tools.
     *
     * @param url the MCP endpoint
     * @param headers headers to send (credentials)
     * @return the tools
     * @throws Unauthorized if the server answered 401
     * @throws IOException if the server cannot be reached or does not speak MCP
     */
    public List<ToolInfo> tools(URI url, Map<String, String> headers) throws IOException {
        Map<String, String> h = new LinkedHashMap<>(headers);
        Reply init = post(url, h, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"" + Protocol.LATEST + "\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"kap\",\"version\":\"1\"}}}", "initialize");
        String version = init.message().path("result").path("protocolVersion").asText(Protocol.LATEST);
        init.session().ifPresent(s -> h.put(Protocol.SESSION, s));
        h.put(Protocol.HEADER, version);
        try {
            post(url, h, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", null);
            List<ToolInfo> tools = new ArrayList<>();
            String cursor = null;
            for (int page = 0; page < MAX_PAGES; page++) {
                String params = cursor == null ? "{}"
                        : new String(Json.write(Json.object().put("cursor", cursor)), StandardCharsets.UTF_8);
                JsonNode result = post(url, h, "{\"jsonrpc\":\"2.0\",\"id\":" + (page + 1)
                        + ",\"method\":\"tools/list\",\"params\":" + params + "}", "tools/list").message()
                        .path("result");
                result.path("tools").forEach(t -> tools.add(new ToolInfo(t.path("name").asText(""),
                        t.path("description").asText(""))));
                cursor = result.path("nextCursor").isTextual() ? result.get("nextCursor").asText() : null;
                if (cursor == null) {
                    break;
                }
            }
            return tools;
        } finally {
            if (init.session().isPresent()) {
                delete(url, h);
            }
        }
    }

    private record Reply(JsonNode message, Optional<String> session) {
    }

    private Reply post(URI url, Map<String, String> headers, String body, String what) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Content-Type", "application/json")
                .header("Accept", UpstreamClient.ACCEPT).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<InputStream> r = send(b.build());
        try (InputStream in = r.body()) {
            if (r.statusCode() == 401) {
                throw new Unauthorized(r.headers().firstValue("WWW-Authenticate").orElse(""));
            }
            if (r.statusCode() / 100 != 2) {
                throw new IOException((what == null ? "notifications/initialized" : what) + ": HTTP "
                        + r.statusCode());
            }
            if (what == null) {
                return new Reply(Json.object(), Optional.empty());
            }
            JsonNode message = read(r, in, what);
            if (message.has("error")) {
                throw new IOException(what + ": " + message.get("error").path("message").asText("error"));
            }
            return new Reply(message, r.headers().firstValue(Protocol.SESSION));
        }
    }

    private static JsonNode read(HttpResponse<InputStream> r, InputStream in, String what) throws IOException {
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("text/event-stream")) {
            Sse.Reader reader = new Sse.Reader(in);
            Sse.Event e;
            while ((e = reader.next()) != null) {
                if (e.data() != null && !e.data().isEmpty()) {
                    JsonNode n = Json.read(e.data().getBytes(StandardCharsets.UTF_8));
                    if (n.has("result") || n.has("error")) {
                        return n;
                    }
                }
            }
            throw new IOException(what + ": the stream ended without an answer");
        }
        byte[] bytes = in.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new IOException(what + ": answer too large");
        }
        return Json.read(bytes);
    }

    private void delete(URI url, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(TIMEOUT).DELETE();
        headers.forEach(b::header);
        try {
            send(b.build()).body().close();
        } catch (IOException ignored) {
            // ending the session is a courtesy
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
