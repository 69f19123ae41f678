package kap.mcp.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import kap.policy.AuditEvent;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * The official MCP TypeScript SDK client, through kap, against {@code @modelcontextprotocol/server-everything}
 * (SSE answers) and an SDK server with {@code enableJsonResponse} (JSON answers), all on loopback.
 */
@Timeout(120)
class SdkInteropTest {

    static NodeProcess everything;
    static NodeProcess jsonServer;

    @TempDir
    static Path dir;
    static McpHarness kap;

    @BeforeAll
    static void start() throws Exception {
        everything = NodeProcess.server("everything.mjs");
        jsonServer = NodeProcess.server("upstream.mjs", "--json");
        kap = new McpHarness(dir, """
                [[mcp.servers]]
                name = "everything"
                allow = ["echo", "get-sum"]
                deny = ["get-env"]
                [[mcp.servers]]
                name = "jsonmode"
                allow = ["*"]
                deny = ["delete_*"]
                """);
        kap.register("everything", "http://127.0.0.1:" + everything.port() + "/mcp", Map.of());
        kap.register("jsonmode", "http://127.0.0.1:" + jsonServer.port() + "/mcp", Map.of());
    }

    @AfterAll
    static void stop() {
        if (kap != null) {
            kap.close();
        }
        everything.close();
        jsonServer.close();
    }

    private static JsonNode client(String server, String allowed, String args, String denied, String... more)
            throws Exception {
        String[] argv = new String[4 + more.length];
        argv[0] = kap.url(server);
        argv[1] = allowed;
        argv[2] = args;
        argv[3] = denied;
        System.arraycopy(more, 0, argv, 4, more.length);
        String out = NodeProcess.run(60, "client.mjs", argv);
        JsonNode json = Json.MAPPER.readTree(out);
        assertThat(json.path("error").asText(), json.get("error"), nullValue());
        return json;
    }

    @Test
    void sdkClientSeesOnlyAllowedToolsAndCallsThemOverSse() throws Exception {
        JsonNode r = client("everything", "echo", "{\"message\":\"hello through kap\"}", "get-env");
        assertThat(r.get("tools").toString(), is("[\"echo\",\"get-sum\"]"));
        assertThat(r.get("allowed").toString(), containsString("hello through kap"));
        assertThat(r.get("protocolVersion").asText(), is("2025-06-18"));
    }

    @Test
    void aDeniedToolGetsAJsonRpcErrorThatExplainsItselfAndIsAudited() throws Exception {
        JsonNode r = client("everything", "echo", "{\"message\":\"x\"}", "get-env");
        assertThat(r.get("denied").get("code").asInt(), is(-32602));
        String message = r.get("denied").get("message").asText();
        assertThat(message, containsString("kap denied tools/call \"get-env\" on MCP server \"everything\""));
        assertThat(message, containsString("denied by rule \"get-env\""));
        assertThat(message, containsString("no network route"));
        assertThat(message, containsString("kap.toml"));
        List<AuditEvent> denied = kap.events(e -> e.subject().equals("everything/get-env"));
        assertThat(denied.isEmpty(), is(false));
        AuditEvent e = denied.getLast();
        assertThat(e.source(), is("mcp"));
        assertThat(e.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(e.reason(), is("denied by rule"));
        assertThat(e.rule().orElseThrow(), is("get-env"));
        assertThat(e.client().orElseThrow(), is("127.0.0.1"));
        assertThat(e.detail().get("method"), is("tools/call"));
    }

    @Test
    void aDeniedCallNeverReachesTheUpstream() throws Exception {
        int before = everything.lines().size();
        client("everything", "echo", "{\"message\":\"x\"}", "get-env");
        // server-everything logs every POST it gets: initialize, initialized, list, echo call, DELETE; never get-env
        List<String> seen = everything.lines().subList(before, everything.lines().size());
        assertThat(seen.toString(), not(containsString("get-env")));
    }

    @Test
    void jsonResponseModeIsFilteredAndKeepsItsContentType() throws Exception {
        JsonNode r = client("jsonmode", "echo", "{\"text\":\"json mode\"}", "delete_everything");
        assertThat(r.get("tools").toString(), is("[\"echo\",\"announce\"]"));
        assertThat(r.get("allowed").toString(), containsString("echo:json mode"));
        assertThat(r.get("denied").get("code").asInt(), is(-32602));
        assertThat(r.get("denied").get("message").asText(), containsString("denied by rule \"delete_*\""));
    }

    @Test
    void twoConcurrentClientsKeepSeparateSessions() throws Exception {
        long initsBefore = everything.lines().stream().filter(l -> l.startsWith("Session initialized")).count();
        var a = CompletableFuture.supplyAsync(() -> call("1500"));
        var b = CompletableFuture.supplyAsync(() -> call("1500"));
        JsonNode ra = a.get();
        JsonNode rb = b.get();
        assertThat(ra.get("sessionId").asText(), not(is(rb.get("sessionId").asText())));
        assertThat(ra.get("toolsAfterHold").asInt(), is(2));
        assertThat(rb.get("toolsAfterHold").asInt(), is(2));
        List<String> upstreamSessions = everything.lines().stream().filter(l -> l.startsWith("Session initialized"))
                .skip(initsBefore).toList();
        assertThat(upstreamSessions, hasSize(2));
        // kap's session ids are its own, never the upstream's
        assertThat(upstreamSessions.toString(), not(containsString(ra.get("sessionId").asText())));
    }

    private static JsonNode call(String holdMs) {
        try {
            return client("everything", "echo", "{\"message\":\"c\"}", "get-env", "--hold-ms", holdMs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
