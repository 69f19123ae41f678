package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpsServer;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/** Real clients (curl, Java's HttpClient, raw sockets) through CONNECT tunnels to real servers on loopback. */
@Timeout(60)
class ConnectTunnelTest {

    private static HttpsServer tls;
    private static Upstreams.Raw banner;
    private static EgressFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        tls = Upstreams.https();
        banner = Upstreams.Raw.banner("SSH-2.0-TestServer\r\n");
        proxy = EgressFixture.builder()
                .allow("allowed.test:" + tls.getAddress().getPort(), "banner.test:" + banner.port())
                .unsafe("127.0.0.0/8")
                .name("allowed.test", "127.0.0.1")
                .name("banner.test", "127.0.0.1")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        tls.stop(0);
        banner.close();
    }

    @Test
    void curlFetchesFromTlsServerThroughTunnel() throws Exception {
        int port = tls.getAddress().getPort();
        Curl curl = Curl.run(proxy.port(), "--cacert", TestTls.get().certPem().toString(),
                "https://allowed.test:" + port + "/hello");
        assertThat(curl.stderr(), curl.exitCode(), is(0));
        assertThat(curl.stdout(), equalTo("hello from allowed.test:" + port + "\n"));
        AuditEvent event = proxy.awaitEvent(e -> e.subject().equals("allowed.test:" + port)
                && e.detail().get("bytes_down") != null && e.detail().get("sni") != null);
        assertThat(event.verdict(), is(AuditEvent.Outcome.ALLOW));
        assertThat(event.reason(), is(Reasons.ALLOWED_BY_RULE));
        assertThat(event.rule().orElseThrow(), is("allowed.test:" + port));
        assertThat(event.detail().get("method"), is("CONNECT"));
        assertThat(event.detail().get("sni"), is("allowed.test"));
        assertThat(((Number) event.detail().get("bytes_up")).longValue(), greaterThan(0L));
        assertThat(((Number) event.detail().get("bytes_down")).longValue(), greaterThan(0L));
    }

    @Test
    void javaHttpClientFetchesThroughTunnel() throws Exception {
        int port = tls.getAddress().getPort();
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(proxy.address()))
                .sslContext(TestTls.get().clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://allowed.test:" + port
                + "/echo")).POST(HttpRequest.BodyPublishers.ofString("ping")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode(), is(200));
        assertThat(response.body(), containsString("body-length: 4"));
        client.close();
    }

    @Test
    void serverThatSpeaksFirstIsRelayedBeforeClientSendsAnything() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("CONNECT banner.test:" + banner.port() + " HTTP/1.1\r\nHost: banner.test\r\n\r\n");
            assertThat(client.readHead(), containsString("200 Connection established"));
            assertThat(new String(client.readBytes(20), StandardCharsets.US_ASCII), is("SSH-2.0-TestServer\r\n"));
            client.send("SSH-2.0-TestClient\r\n");
            assertThat(new String(client.readBytes(20), StandardCharsets.US_ASCII), is("SSH-2.0-TestClient\r\n"));
        }
        AuditEvent event = proxy.awaitEvent(e -> e.subject().equals("banner.test:" + banner.port())
                && Long.valueOf(20).equals(number(e, "bytes_up")));
        assertThat(event.verdict(), is(AuditEvent.Outcome.ALLOW));
        assertThat(((Number) event.detail().get("bytes_down")).longValue(), is(40L));
    }

    @Test
    void halfCloseFromClientStillDeliversTheServersAnswer() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("CONNECT banner.test:" + banner.port() + " HTTP/1.1\r\n\r\n");
            client.readHead();
            client.readBytes(20);
            client.send("last words");
            client.socket().shutdownOutput();
            // the echo server answers what it got, then closes its side when it sees our end of stream
            assertThat(client.readToEnd(), is("last words"));
        }
    }

    @Test
    void bytesClientSendsRightBehindConnectReachTheUpstream() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("CONNECT banner.test:" + banner.port() + " HTTP/1.1\r\n\r\nSSH-2.0-Eager\r\n");
            client.readHead();
            assertThat(new String(client.readBytes(20 + 15), StandardCharsets.US_ASCII),
                    is("SSH-2.0-TestServer\r\nSSH-2.0-Eager\r\n"));
        }
    }

    @Test
    void largeTransferKeepsEveryByte() throws Exception {
        int port = tls.getAddress().getPort();
        Curl curl = Curl.run(proxy.port(), "--cacert", TestTls.get().certPem().toString(), "-o", "/dev/null",
                "-w", "%{size_download}", "https://allowed.test:" + port + "/bytes?n=" + (64L << 20));
        assertThat(curl.stderr(), curl.exitCode(), is(0));
        assertThat(curl.stdout(), is(String.valueOf(64L << 20)));
    }

    static Long number(AuditEvent event, String key) {
        Object value = event.detail().get(key);
        return value instanceof Number n ? n.longValue() : null;
    }
}
