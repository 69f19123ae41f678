package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpsServer;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/**
 * The tunnel's TLS check: a ClientHello whose SNI names another host than CONNECT did is stopped before a byte of it
 * reaches the upstream, however the ClientHello is cut up; the refusal is audited.
 */
@Timeout(30)
class SniTest {

    private static Upstreams.Raw recorder;
    private static HttpsServer tls;
    private static EgressFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        recorder = Upstreams.Raw.silent();
        tls = Upstreams.https();
        proxy = EgressFixture.builder()
                .allow("allowed.test:" + recorder.port(), "allowed.test:" + tls.getAddress().getPort())
                .unsafe("127.0.0.0/8")
                .name("allowed.test", "127.0.0.1")
                .limit("max_client_hello_bytes", "4096")
                .limit("handshake_timeout", "\"1s\"")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        recorder.close();
        tls.stop(0);
    }

    @Test
    void realTlsClientWithOtherSniIsCutOff() throws Exception {
        int port = tls.getAddress().getPort();
        RawClient client = new RawClient(proxy.address());
        client.send("CONNECT allowed.test:" + port + " HTTP/1.1\r\n\r\n");
        assertThat(client.readHead(), containsString("200"));
        SSLSocket socket = (SSLSocket) TestTls.get().clientContext().getSocketFactory()
                .createSocket(client.socket(), "other.test", port, true);
        assertThrows(IOException.class, socket::startHandshake);
        socket.close();
        assertSniMismatchAudited("allowed.test:" + port, "other.test");
    }

    @Test
    void mismatchInOneRecordIsCutOffBeforeForwarding() throws Exception {
        assertCutOff(ClientHellos.real("other.test"), 1);
    }

    @Test
    void mismatchSplitAcrossTwoRecordsIsCutOff() throws Exception {
        byte[] hello = ClientHellos.real("other.test");
        assertCutOff(ClientHellos.splitIntoTwoRecords(hello, 40), 2);
    }

    @Test
    void mismatchDribbledByteByByteIsCutOff() throws Exception {
        assertCutOff(ClientHellos.splitIntoTwoRecords(ClientHellos.real("other.test"), 7), 400);
    }

    @Test
    void matchingSniSplitAcrossRecordsAndReadsIsForwardedExactly() throws Exception {
        byte[] hello = ClientHellos.splitIntoTwoRecords(ClientHellos.real("allowed.test"), 100);
        long before = recorder.receivedBytes();
        try (RawClient client = connect()) {
            sendInPieces(client, hello, 3);
            waitFor(() -> recorder.receivedBytes() - before == hello.length);
        }
        assertThat(recorder.receivedBytes() - before, is((long) hello.length));
    }

    @Test
    void clientHelloWithoutSniPasses() throws Exception {
        byte[] hello = ClientHellos.real(null);
        long before = recorder.receivedBytes();
        try (RawClient client = connect()) {
            client.send(hello);
            waitFor(() -> recorder.receivedBytes() - before == hello.length);
        }
        assertThat(recorder.receivedBytes() - before, is((long) hello.length));
    }

    @Test
    void oversizedClientHelloIsRefused() throws Exception {
        // a record header promising a 16000-byte ClientHello, beyond max_client_hello_bytes = 4096
        byte[] start = {22, 3, 1, 0x3e, (byte) 0x80, 1, 0, 0x3e, 0x7c, 3, 3};
        long before = recorder.receivedBytes();
        try (RawClient client = connect()) {
            client.send(start);
            assertThat(client.closedByPeer(), is(true));
        }
        assertThat(recorder.receivedBytes(), is(before));
        proxy.awaitEvent(e -> e.reason().equals(Reasons.UNJUDGEABLE)
                && String.valueOf(e.detail().get("error")).contains("larger than 4096"));
    }

    @Test
    void stalledClientHelloIsRefusedAtTheHandshakeDeadline() throws Exception {
        byte[] hello = ClientHellos.real("allowed.test");
        long before = recorder.receivedBytes();
        try (RawClient client = connect()) {
            client.send(Arrays.copyOf(hello, 20));
            assertThat(client.closedByPeer(), is(true));
        }
        assertThat(recorder.receivedBytes(), is(before));
        proxy.awaitEvent(e -> e.reason().equals(Reasons.UNJUDGEABLE)
                && String.valueOf(e.detail().get("error")).contains("within 1000 ms"));
    }

    @Test
    void cleartextHttpInsideTunnelIsRefused() throws Exception {
        long before = recorder.receivedBytes();
        try (RawClient client = connect()) {
            client.send("GET / HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n");
            assertThat(client.closedByPeer(), is(true));
        }
        assertThat(recorder.receivedBytes(), is(before));
        proxy.awaitEvent(e -> e.reason().equals(Reasons.UNJUDGEABLE)
                && String.valueOf(e.detail().get("error")).contains("cleartext HTTP"));
    }

    private static void assertCutOff(byte[] hello, int pieces) throws Exception {
        long before = recorder.receivedBytes();
        try (RawClient client = connect()) {
            sendInPieces(client, hello, pieces);
            assertThat(client.closedByPeer(), is(true));
        }
        assertThat("no byte of the ClientHello reached the upstream", recorder.receivedBytes(), is(before));
        assertSniMismatchAudited("allowed.test:" + recorder.port(), "other.test");
    }

    private static void assertSniMismatchAudited(String subject, String sni) {
        AuditEvent event = proxy.awaitEvent(e -> e.subject().equals(subject)
                && e.reason().equals(Reasons.SNI_MISMATCH) && sni.equals(e.detail().get("sni")));
        assertThat(event.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(event.detail().get("method"), is("CONNECT"));
    }

    private static RawClient connect() throws IOException {
        RawClient client = new RawClient(proxy.address());
        client.send("CONNECT allowed.test:" + recorder.port() + " HTTP/1.1\r\n\r\n");
        assertThat(client.readHead(), containsString("200"));
        return client;
    }

    private static void sendInPieces(RawClient client, byte[] bytes, int pieces) throws IOException {
        int size = Math.max(1, bytes.length / pieces);
        for (int i = 0; i < bytes.length; i += size) {
            client.send(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
            EgressFixture.sleep(pieces > 10 ? 1 : 30);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            EgressFixture.sleep(10);
        }
    }
}
