package kap.mcp.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The MCP proxy's added latency, run by {@code bench/mcp.sh}: one SDK upstream serving 1,000 tools (JSON answers),
 * one sidecar in front of it, and one keep-alive HTTP/1.1 client that alternates between the two, so both see the
 * same machine state. Prints a Markdown table. Not a test: timing belongs in benchmarks.
 *
 * <p>Args: calls (default 3000), lists (default 300).
 */
final class McpBench {

    private static final HttpClient CLIENT = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1).build();

    private McpBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int lists = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path dir = Files.createTempDirectory("kap-mcp-bench");
        try (NodeProcess upstream = NodeProcess.server("upstream.mjs", "--json", "--tools", "1000");
             McpHarness kap = new McpHarness(dir, "[[mcp.servers]]\nname = \"bench\"\nallow = [\"*\"]\n")) {
            String direct = "http://127.0.0.1:" + upstream.port() + "/mcp";
            kap.register("bench", direct, Map.of());
            Session viaKap = new Session(kap.url("bench"));
            Session plain = new Session(direct);
            String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                    + "\"arguments\":{\"text\":\"bench\"}}}";
            String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
            int listed = Json.MAPPER.readTree(viaKap.post(list)).path("result").path("tools").size();
            measure(plain, viaKap, call, calls / 5);
            long[][] c = measure(plain, viaKap, call, calls);
            measure(plain, viaKap, list, lists / 5);
            long[][] l = measure(plain, viaKap, list, lists);
            System.out.println("| request | n | direct p50 | kap p50 | added p50 | direct p99 | kap p99 | added p99 |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            row("tools/call (echo)", c);
            row("tools/list (" + listed + " tools)", l);
        }
    }

    private static long[][] measure(Session a, Session b, String body, int n) throws Exception {
        long[] direct = new long[n];
        long[] kap = new long[n];
        for (int i = 0; i < n; i++) {
            direct[i] = a.time(body);
            kap[i] = b.time(body);
        }
        return new long[][] {direct, kap};
    }

    private static void row(String what, long[][] r) {
        double d50 = pct(r[0], 50);
        double k50 = pct(r[1], 50);
        double d99 = pct(r[0], 99);
        double k99 = pct(r[1], 99);
        System.out.printf("| %s | %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms |%n", what,
                r[0].length, d50, k50, k50 - d50, d99, k99, k99 - d99);
    }

    private static double pct(long[] nanos, int p) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)] / 1e6;
    }

    /** A session on one endpoint. */
    private static final class Session {
        private final URI url;
        private final String id;

        Session(String url) throws Exception {
            this.url = URI.create(url);
            HttpResponse<String> init = send(RawSession.INIT, null);
            this.id = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", id);
        }

        String post(String body) throws Exception {
            return send(body, id).body();
        }

        long time(String body) throws Exception {
            long t0 = System.nanoTime();
            HttpResponse<String> r = send(body, id);
            long t = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IOException(url + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return t;
        }

        private HttpResponse<String> send(String body, String session) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("MCP-Protocol-Version", "2025-06-18").POST(HttpRequest.BodyPublishers.ofString(body));
            if (session != null) {
                b.header("Mcp-Session-Id", session);
            }
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
