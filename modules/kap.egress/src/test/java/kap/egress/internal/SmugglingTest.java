package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.sun.net.httpserver.HttpServer;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/**
 * Request smuggling and framing attacks: every ambiguous head is refused before a byte reaches the upstream, the
 * refusal is audited, and requests that share a connection are each judged on their own.
 */
@Timeout(30)
class SmugglingTest {

    private static Upstreams.Raw recorder;
    private static Upstreams.Raw chunkRecorder;
    private static HttpServer http;
    private static EgressFixture proxy;
    private static String target;

    record Case(String name, String head, int status, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> ambiguous() {
        String line = "POST http://smuggle.test:%d/ HTTP/1.1\r\nHost: smuggle.test\r\n";
        return Stream.of(
                new Case("CL.TE", line + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", 400,
                        "Content-Length and Transfer-Encoding"),
                new Case("TE.CL", line + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0"
                        + "\r\n\r\n", 400, "Content-Length and Transfer-Encoding"),
                new Case("TE.TE duplicate", line + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n",
                        400, "more than one Transfer-Encoding"),
                new Case("TE obfuscated value", line + "Transfer-Encoding: xchunked\r\n\r\n", 400, "only Transfer"),
                new Case("TE list", line + "Transfer-Encoding: gzip, chunked\r\n\r\n", 400, "only Transfer"),
                new Case("TE space before colon", line + "Transfer-Encoding : chunked\r\n\r\n", 400,
                        "invalid header field name"),
                new Case("TE in HTTP/1.0", line.replace("HTTP/1.1", "HTTP/1.0") + "Transfer-Encoding: chunked\r\n\r\n",
                        400, "HTTP/1.0"),
                new Case("duplicate CL", line + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400,
                        "duplicate Content-Length"),
                new Case("CL list", line + "Content-Length: 5, 5\r\n\r\nhello", 400, "invalid Content-Length"),
                new Case("CL sign", line + "Content-Length: +5\r\n\r\nhello", 400, "invalid Content-Length"),
                new Case("CL negative", line + "Content-Length: -1\r\n\r\n", 400, "invalid Content-Length"),
                new Case("CL hex", line + "Content-Length: 0x5\r\n\r\nhello", 400, "invalid Content-Length"),
                new Case("CL huge", line + "Content-Length: 99999999999999999999\r\n\r\n", 400,
                        "invalid Content-Length"),
                new Case("obs-fold", line + "X-Folded: a\r\n b\r\n\r\n", 400, "obs-fold"),
                new Case("bare CR", line + "X-A: a\rb\r\n\r\n", 400, "bare CR"),
                new Case("bare LF", line + "X-A: a\nX-B: b\r\n\r\n", 400, "bare LF"),
                new Case("NUL", line + "X-A: a\0b\r\n\r\n", 400, "NUL"),
                new Case("control char", line + "X-A: a\u0001b\r\n\r\n", 400, "control character"),
                new Case("double space", "GET  http://smuggle.test:%d/ HTTP/1.1\r\n\r\n", 400, "request line"),
                new Case("HTTP/2 prior knowledge", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "HTTP/1.0 and HTTP/1.1"),
                new Case("bad version", "GET http://smuggle.test:%d/ HTTP/1.1x\r\n\r\n", 400, "invalid HTTP version"),
                new Case("user info", "GET http://user:pw@smuggle.test:%d/ HTTP/1.1\r\n\r\n", 400, "user info"),
                new Case("https absolute form", "GET https://smuggle.test:%d/ HTTP/1.1\r\n\r\n", 400, "CONNECT"),
                new Case("CONNECT with body", "CONNECT smuggle.test:%d HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody",
                        400, "must not carry a body"),
                new Case("too many fields", line + "X-A: a\r\n".repeat(HttpParser.MAX_HEADER_FIELDS) + "\r\n", 400,
                        "header fields"),
                new Case("oversized head", line + "X-Big: " + "a".repeat(5000) + "\r\n\r\n", 431, "larger than"),
                new Case("TRACE", "TRACE http://smuggle.test:%d/ HTTP/1.1\r\n\r\n", 405, "TRACE is refused"));
    }

    @BeforeAll
    static void start() throws Exception {
        recorder = Upstreams.Raw.answeringAfter("\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        chunkRecorder = Upstreams.Raw.answeringAfter("0\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        http = Upstreams.http();
        proxy = EgressFixture.builder()
                .allow("smuggle.test:" + recorder.port(), "smuggle.test:" + chunkRecorder.port(), "plain.test:" + http.getAddress().getPort())
                .unsafe("127.0.0.0/8")
                .name("smuggle.test", "127.0.0.1")
                .name("plain.test", "127.0.0.1")
                .name("evil.test", "127.0.0.1")
                .limit("max_header_bytes", "4096")
                .start();
        target = "http://plain.test:" + http.getAddress().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        http.stop(0);
        recorder.close();
        chunkRecorder.close();
    }

    @ParameterizedTest
    @MethodSource("ambiguous")
    void ambiguousRequestIsRefusedAndNeverForwarded(Case c) throws Exception {
        long before = recorder.receivedBytes();
        String response;
        try (RawClient client = new RawClient(proxy.address())) {
            response = client.send(c.head().formatted(recorder.port())).readResponse();
            assertThat(response, RawClient.status(response), is(c.status()));
            assertThat(response, containsString(c.error()));
            assertThat("connection closed after a refusal", client.closedByPeer(), is(true));
        }
        assertThat(recorder.receivedBytes(), is(before));
        AuditEvent event = proxy.awaitEvent(e -> String.valueOf(e.detail().get("error")).contains(c.error()));
        assertThat(event.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(event.reason(), is(c.status() == 431 ? Reasons.LIMIT_EXCEEDED : c.status() == 405
                ? Reasons.METHOD_NOT_ALLOWED : Reasons.MALFORMED_REQUEST));
    }

    @Test
    void pipelinedAllowedThenDeniedRequestIsJudgedEach() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("GET " + target + "/hello HTTP/1.1\r\nHost: plain.test\r\n\r\n"
                    + "GET http://evil.test/steal HTTP/1.1\r\nHost: plain.test\r\n\r\n");
            String first = client.readResponse();
            String second = client.readResponse();
            assertThat(RawClient.status(first), is(200));
            assertThat(first, containsString("hello from plain.test"));
            assertThat(RawClient.status(second), is(403));
            assertThat(second, containsString("kap denied GET evil.test:80."));
        }
        AuditEvent denied = proxy.awaitEvent("evil.test:80");
        assertThat(denied.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(denied.reason(), is(Reasons.NO_RULE_MATCHED));
    }

    @Test
    void bodyThatLooksLikeARequestIsOnlyABody() throws Exception {
        String hidden = "GET http://evil.test/ HTTP/1.1\r\nHost: evil.test\r\n\r\n";
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("POST " + target + "/echo HTTP/1.1\r\nHost: plain.test\r\nContent-Length: " + hidden.length()
                    + "\r\n\r\n" + hidden);
            String response = client.readResponse();
            assertThat(response, containsString("body-length: " + hidden.length()));
        }
        assertThat(proxy.events().stream().filter(e -> e.subject().startsWith("evil.test")).count(), is(0L));
    }

    @Test
    void chunkedBodyIsRewrittenCleanForTheUpstream() throws Exception {
        long before = chunkRecorder.receivedBytes();
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("POST http://smuggle.test:" + chunkRecorder.port() + "/ HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5;ext=\"x\"\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n");
            assertThat(RawClient.status(client.readResponse()), is(200));
        }
        String forwarded = chunkRecorder.receivedText().substring((int) before);
        assertThat(forwarded, containsString("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n"));
        assertThat(forwarded, not(containsString("ext=")));
        assertThat(forwarded, not(containsString("X-Trailer")));
    }

    @Test
    void malformedChunkIsNotPassedOn() throws Exception {
        long before = recorder.receivedBytes();
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("POST http://smuggle.test:" + recorder.port() + "/ HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n");
            client.readToEnd();
        }
        assertThat(recorder.receivedText().substring((int) before), not(containsString("XX")));
    }
}
