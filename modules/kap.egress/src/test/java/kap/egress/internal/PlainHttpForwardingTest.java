package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/** Plain HTTP in absolute form: headers and bodies arrive intact, hop-by-hop fields do not. */
@Timeout(60)
class PlainHttpForwardingTest {

    private static HttpServer http;
    private static EgressFixture proxy;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        http = Upstreams.http();
        proxy = EgressFixture.builder()
                .allow("plain.test:" + http.getAddress().getPort())
                .unsafe("127.0.0.0/8")
                .name("plain.test", "127.0.0.1")
                .name("denied.test", "127.0.0.1")
                .start();
        base = "http://plain.test:" + http.getAddress().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        http.stop(0);
    }

    @Test
    void forwardsEndToEndHeadersAndDropsHopByHopOnes() throws Exception {
        Curl curl = Curl.run(proxy.port(), "-H", "X-Custom: kept", "-H", "Authorization: Bearer secret-token",
                "-H", "Cookie: session=abc", "-H", "Proxy-Authorization: Basic cHJveHk6cGFzcw==",
                "-H", "Connection: X-Drop-Me", "-H", "X-Drop-Me: gone", "-H", "Keep-Alive: timeout=5",
                "-H", "TE: trailers", base + "/echo");
        assertThat(curl.stderr(), curl.exitCode(), is(0));
        String echo = curl.stdout();
        assertThat(echo, startsWith("GET /echo\n"));
        assertThat(echo, containsString("x-custom: kept\n"));
        assertThat(echo, containsString("authorization: Bearer secret-token\n"));
        assertThat(echo, containsString("cookie: session=abc\n"));
        assertThat(echo, containsString("user-agent: curl/"));
        assertThat(echo, containsString("host: plain.test:" + http.getAddress().getPort() + "\n"));
        assertThat(echo, not(containsString("proxy-authorization")));
        assertThat(echo, not(containsString("proxy-connection")));
        assertThat(echo, not(containsString("x-drop-me")));
        assertThat(echo, not(containsString("keep-alive")));
        assertThat(echo, not(containsString("te: trailers")));
    }

    @Test
    void streamsChunkedUploadIntact(@TempDir Path dir) throws Exception {
        byte[] body = random(3 * 1024 * 1024 + 17);
        Path file = Files.write(dir.resolve("chunked.bin"), body);
        Curl curl = Curl.run(proxy.port(), "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file,
                base + "/echo");
        assertThat(curl.stderr(), curl.exitCode(), is(0));
        assertThat(curl.stdout(), containsString("body-length: " + body.length + "\n"));
        assertThat(curl.stdout(), containsString("body-sha256: " + Upstreams.sha256(body) + "\n"));
    }

    @Test
    void streamsLargeUploadWithExpectContinue(@TempDir Path dir) throws Exception {
        byte[] body = random(32 * 1024 * 1024);
        Path file = Files.write(dir.resolve("large.bin"), body);
        Curl curl = Curl.run(proxy.port(), "-H", "Expect: 100-continue", "--data-binary", "@" + file,
                base + "/echo");
        assertThat(curl.stderr(), curl.exitCode(), is(0));
        assertThat(curl.stdout(), containsString("body-length: " + body.length + "\n"));
        assertThat(curl.stdout(), containsString("body-sha256: " + Upstreams.sha256(body) + "\n"));
        AuditEvent event = proxy.awaitEvent(e -> Long.valueOf(body.length).equals(ConnectTunnelTest.number(e,
                "bytes_up")));
        assertThat(event.verdict(), is(AuditEvent.Outcome.ALLOW));
        assertThat(event.detail().get("method"), is("POST"));
        assertThat(ConnectTunnelTest.number(event, "status"), is(200L));
    }

    @Test
    void streamsLargeChunkedDownload() throws Exception {
        long size = 48L << 20;
        Curl curl = Curl.run(proxy.port(), "-o", "/dev/null", "-w", "%{size_download}", base + "/bytes?n=" + size);
        assertThat(curl.stderr(), curl.exitCode(), is(0));
        assertThat(curl.stdout(), is(String.valueOf(size)));
    }

    @Test
    void javaHttpClientPostsThroughProxy() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/echo?q=1"))
                    .header("X-From", "java").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode(), is(200));
            assertThat(response.body(), startsWith("POST /echo?q=1\n"));
            assertThat(response.body(), containsString("x-from: java\n"));
            assertThat(response.body(), containsString("body-length: 5\n"));
            assertThat(response.headers().firstValue("X-Upstream").orElseThrow(), is("echo"));
        }
    }

    @Test
    void keepAliveConnectionServesSeveralRequests() throws Exception {
        Curl curl = Curl.run(proxy.port(), "-v", base + "/hello", base + "/hello");
        assertThat(curl.stderr(), curl.exitCode(), is(0));
        assertThat(curl.stdout(), is(("hello from plain.test:" + http.getAddress().getPort() + "\n").repeat(2)));
        assertThat(curl.stderr(), containsString("Re-using existing connection"));
    }

    @Test
    void httpOneZeroClientGetsAnswerAndClose() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("GET " + base + "/hello HTTP/1.0\r\n\r\n");
            String response = client.readToEnd();
            assertThat(response, startsWith("HTTP/1.1 200 "));
            assertThat(response, containsString("hello from plain.test"));
        }
    }

    @Test
    void originFormRequestIsRefusedWithExplanation() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            String response = client.send("GET /hello HTTP/1.1\r\nHost: plain.test\r\n\r\n").readResponse();
            assertThat(RawClient.status(response), is(400));
            assertThat(response, containsString("absolute URI"));
        }
        AuditEvent event = proxy.awaitEvent(e -> e.reason().equals(Reasons.MALFORMED_REQUEST)
                && String.valueOf(e.detail().get("error")).contains("absolute URI"));
        assertThat(event.verdict(), is(AuditEvent.Outcome.DENY));
    }

    @Test
    void deniedNameGets403ThatExplainsHowToAllowIt() throws Exception {
        Curl curl = Curl.run(proxy.port(), "-i", "http://denied.test/anything");
        assertThat(curl.stdout(), startsWith("HTTP/1.1 403 Forbidden by kap: denied.test:80 no rule matched; "
                + "other routes are blocked too; ask a human to add \"denied.test\" to allow in kap.toml\r\n"));
        assertThat(curl.stdout(), containsString("X-Kap-Decision: deny; reason=\"no rule matched\"; rule=\"-\"; "
                + "target=\"denied.test:80\""));
        assertThat(curl.stdout(), containsString("kap denied GET denied.test:80."));
        assertThat(curl.stdout(), containsString("allow = [..., \"denied.test\"]"));
        assertThat(curl.stdout(), containsString("Do not retry another way"));
        AuditEvent event = proxy.awaitEvent("denied.test:80");
        assertThat(event.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(event.reason(), is(Reasons.NO_RULE_MATCHED));
    }

    private static byte[] random(int length) {
        byte[] b = new byte[length];
        new Random(length).nextBytes(b);
        return b;
    }
}
