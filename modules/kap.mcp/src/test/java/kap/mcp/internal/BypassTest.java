package kap.mcp.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * What the original let through: batches, SSE framing and malformed messages. Each attempt must fail, must not reach
 * the upstream (which records every request it gets), and must be audited.
 */
@Timeout(60)
class BypassTest {

    @TempDir
    static Path dir;
    static NodeProcess sse;
    static NodeProcess json;
    static McpHarness kap;
    static Path sseLog;
    static Path jsonLog;

    @BeforeAll
    static void start() throws Exception {
        sseLog = dir.resolve("sse-upstream.jsonl");
        jsonLog = dir.resolve("json-upstream.jsonl");
        sse = NodeProcess.server("upstream.mjs", "--record", sseLog.toString());
        json = NodeProcess.server("upstream.mjs", "--json", "--record", jsonLog.toString());
        kap = new McpHarness(dir, """
                [[mcp.servers]]
                name = "sse"
                allow = ["echo", "announce"]
                [[mcp.servers]]
                name = "json"
                allow = ["*"]
                deny = ["delete_*"]
                """);
        kap.register("sse", "http://127.0.0.1:" + sse.port() + "/mcp", Map.of());
        kap.register("json", "http://127.0.0.1:" + json.port() + "/mcp", Map.of());
    }

    @AfterAll
    static void stop() {
        kap.close();
        sse.close();
        json.close();
    }

    private static String call(int id, String tool) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":{\"text\":\"t\"}}}";
    }

    private static boolean upstreamSaw(Path log, String text) throws Exception {
        return Files.exists(log) && Files.readString(log).contains(text);
    }

    private static AuditEvent lastEvent(String subject) throws Exception {
        List<AuditEvent> events = kap.events(e -> e.subject().equals(subject));
        assertThat("audit event for " + subject, events.isEmpty(), is(false));
        return events.getLast();
    }

    @Test
    void batchEntriesAreJudgedOneByOneAndDeniedOnesNeverForwarded() throws Exception {
        RawSession s = new RawSession(kap, "json");
        var r = s.post("[" + call(1, "echo") + "," + call(2, "delete_everything") + ","
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}]");
        assertThat(r.statusCode(), is(200));
        JsonNode all = RawSession.messages(r);
        assertThat(all.size(), is(3));
        for (JsonNode m : all) {
            switch (m.get("id").asInt()) {
                case 1 -> assertThat(m.toString(), containsString("echo:t"));
                case 2 -> {
                    assertThat(m.get("error").get("code").asInt(), is(-32602));
                    assertThat(m.get("error").get("message").asText(), containsString("delete_everything"));
                }
                default -> assertThat(m.get("result").get("tools").toString(), not(containsString("delete_")));
            }
        }
        assertThat(upstreamSaw(jsonLog, "delete_everything\",\"arguments"), is(false));
        AuditEvent e = lastEvent("json/delete_everything");
        assertThat(e.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(e.detail().get("transport"), is("batch"));
    }

    @Test
    void aBatchOfOnlyDeniedCallsIsAnsweredByKapAlone() throws Exception {
        RawSession s = new RawSession(kap, "json");
        var r = s.post("[" + call(7, "delete_all_repos") + "]");
        assertThat(r.statusCode(), is(200));
        assertThat(RawSession.messages(r).get(0).get("error").get("code").asInt(), is(-32602));
        assertThat(upstreamSaw(jsonLog, "delete_all_repos"), is(false));
        assertThat(lastEvent("json/delete_all_repos").reason(), is("denied by rule"));
    }

    @Test
    void sseFramedToolListsAreFilteredAndKeepTheirContentType() throws Exception {
        RawSession s = new RawSession(kap, "sse");
        assertThat(s.initResponse.headers().firstValue("Content-Type").orElse(""), startsWith("text/event-stream"));
        var r = s.post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}");
        assertThat(r.headers().firstValue("Content-Type").orElse(""), startsWith("text/event-stream"));
        JsonNode tools = RawSession.messages(r).get(0).get("result").get("tools");
        assertThat(tools.toString(), containsString("\"echo\""));
        assertThat(tools.toString(), not(containsString("delete_everything")));
        AuditEvent listed = lastEvent("sse/tools/list");
        assertThat(listed.detail().get("hidden"), is(1));
    }

    @Test
    void jsonAnswersKeepTheJsonContentType() throws Exception {
        RawSession s = new RawSession(kap, "json");
        assertThat(s.initResponse.headers().firstValue("Content-Type").orElse(""), startsWith("application/json"));
    }

    @Test
    void theGetStreamCarriesListChangedAndTheNextListIsFilteredToo() throws Exception {
        RawSession s = new RawSession(kap, "sse");
        HttpRequest get = HttpRequest.newBuilder(URI.create(kap.url("sse"))).header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", s.sessionId).header("MCP-Protocol-Version", "2025-06-18").GET().build();
        HttpResponse<InputStream> stream = McpHarness.HTTP.send(get, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode(), is(200));
        assertThat(stream.headers().firstValue("Content-Type").orElse(""), startsWith("text/event-stream"));
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.contains("list_changed")) {
                        return line;
                    }
                }
                return "";
            } catch (IOException e) {
                return e.toString();
            }
        });
        s.post(call(9, "announce"));
        assertThat(seen.get(10, TimeUnit.SECONDS), containsString("notifications/tools/list_changed"));
        stream.body().close();
        var again = s.post("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/list\"}");
        assertThat(again.body(), containsString("\"echo\""));
        assertThat(again.body(), not(containsString("delete_everything")));
    }

    @Test
    void deleteEndsTheSessionAndLaterRequestsGet404() throws Exception {
        RawSession s = new RawSession(kap, "json");
        HttpRequest delete = HttpRequest.newBuilder(URI.create(kap.url("json"))).header("Mcp-Session-Id", s.sessionId)
                .DELETE().build();
        assertThat(McpHarness.HTTP.send(delete, HttpResponse.BodyHandlers.ofString()).statusCode(), is(200));
        var after = s.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertThat(after.statusCode(), is(404));
        assertThat(upstreamSaw(jsonLog, "\"DELETE\""), is(true));
    }

    @Test
    void anUnsupportedProtocolVersionHeaderIsRefused() throws Exception {
        var r = kap.post("json", "application/json", RawSession.INIT, Map.of("MCP-Protocol-Version", "1999-01-01"));
        assertThat(r.statusCode(), is(400));
        assertThat(r.body(), containsString("2025-06-18"));
    }

    @Test
    void anSseFramedPostIsRefusedAndAudited() throws Exception {
        RawSession s = new RawSession(kap, "sse");
        var r = kap.post("sse", "text/event-stream", "data: " + call(11, "delete_everything") + "\n\n",
                Map.of("Mcp-Session-Id", s.sessionId));
        assertThat(r.statusCode(), is(415));
        assertThat(upstreamSaw(sseLog, "delete_everything\",\"arguments"), is(false));
        AuditEvent e = lastEvent("sse/(malformed)");
        assertThat(e.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(e.detail().get("transport"), is("sse"));
    }

    @Test
    void unparseableJsonIsRefusedAndAudited() throws Exception {
        var r = kap.post("json", "application/json", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"",
                Map.of());
        assertThat(r.statusCode(), is(400));
        assertThat(Json.MAPPER.readTree(r.body()).get("error").get("code").asInt(), is(-32700));
        assertThat(lastEvent("json/(malformed)").reason(), startsWith("malformed message"));
    }

    @Test
    void duplicateKeysAreRefusedNotForwarded() throws Exception {
        RawSession s = new RawSession(kap, "json");
        var r = s.post("{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"name\":\"delete_dupe\",\"arguments\":{}}}");
        assertThat(r.statusCode(), is(400));
        assertThat(r.body(), containsString("Duplicate field"));
        assertThat(upstreamSaw(jsonLog, "delete_dupe"), is(false));
        assertThat(lastEvent("json/(malformed)").reason(), containsString("Duplicate field 'name'"));
    }

    @Test
    void aMessageWithoutJsonrpcIsRefusedNotForwarded() throws Exception {
        RawSession s = new RawSession(kap, "json");
        var r = s.post("{\"id\":13,\"method\":\"tools/call\",\"params\":{\"name\":\"delete_nojsonrpc\"}}");
        assertThat(r.statusCode(), is(400));
        assertThat(Json.MAPPER.readTree(r.body()).get("error").get("code").asInt(), is(-32600));
        assertThat(upstreamSaw(jsonLog, "delete_nojsonrpc"), is(false));
    }

    @Test
    void confusableAndInvisibleToolNamesAreRefused() throws Exception {
        RawSession s = new RawSession(kap, "json");
        for (String name : List.of("d\\u0435lete_cyrillic", "echo\\u200b", "echo\\u0000", "echo\\u202e")) {
            var r = s.post(call(14, name));
            JsonNode error = RawSession.messages(r).get(0).get("error");
            assertThat(name, error.get("data").get("kap").get("reason").asText(), is("unsafe name"));
        }
        assertThat(upstreamSaw(jsonLog, "cyrillic"), is(false));
        assertThat(kap.events(e -> e.reason().equals("unsafe name")).size() >= 4, is(true));
    }

    @Test
    void aMethodKapCannotJudgeIsDenied() throws Exception {
        RawSession s = new RawSession(kap, "json");
        var r = s.post("{\"jsonrpc\":\"2.0\",\"id\":15,\"method\":\"tools/delete\",\"params\":{}}");
        assertThat(RawSession.messages(r).get(0).get("error").get("code").asInt(), is(-32601));
        assertThat(lastEvent("json/tools/delete").reason(), is("method not allowed"));
    }

    @Test
    void anOversizedBodyAndABrowserOriginAreRefusedAndAudited() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\",\"params\":{\"p\":\""
                + "x".repeat(Limits.DEFAULTS.maxRequestBytes()) + "\"}}";
        assertThat(kap.post("json", "application/json", big, Map.of()).statusCode(), is(413));
        assertThat(lastEvent("json/(refused)").reason(), startsWith("limit exceeded"));
        var r = kap.post("json", "application/json", RawSession.INIT, Map.of("Origin", "https://evil.example"));
        assertThat(r.statusCode(), is(403));
        assertThat(lastEvent("(none)/(refused)").reason(), startsWith("forbidden origin"));
    }

    @Test
    void clientAuthorizationAndCookiesAreNotForwarded() throws Exception {
        var r = kap.post("json", "application/json", RawSession.INIT, Map.of("Authorization", "Bearer from-capsule",
                "Cookie", "session=capsule"));
        assertThat(r.statusCode(), is(200));
        assertThat(upstreamSaw(jsonLog, "from-capsule"), is(false));
        assertThat(upstreamSaw(jsonLog, "session=capsule"), is(false));
    }
}
