package kap.sidecar.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The probes against servers on loopback: a refusal is a route (so a direct-connection probe fails), a listening
 * port fails a closed-port probe, a DNS server that answers NXDOMAIN passes the DNS probe, and the health check
 * wants a 200 with {@code "status":"ok"}.
 */
@Timeout(30)
class ProbesTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionMeansThereIsARouteSoTheDirectProbeFails() throws Exception {
        String result = IsolationProbe.run("tcp:127.0.0.1:" + freePort());
        assertThat(result, startsWith("FAIL "));
    }

    @Test
    void aClosedPortProbePassesOnARefusalAndFailsOnAListener() throws Exception {
        assertThat(IsolationProbe.run("closed:127.0.0.1:" + freePort()), startsWith("PASS "));
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(IsolationProbe.run("closed:127.0.0.1:" + listening.getLocalPort()), startsWith("FAIL "));
        }
    }

    @Test
    void theDnsProbeWantsNxdomainAndTheOutsideDnsProbeWantsSilence() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = server.getLocalPort();
            Thread.ofVirtual().start(() -> answer(server, 3, 2));
            assertThat(IsolationProbe.run("dns-denies:127.0.0.1:x.invalid:" + port), startsWith("PASS "));
            assertThat(IsolationProbe.run("udp53:127.0.0.1:" + port), startsWith("FAIL "));
        }
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThat(IsolationProbe.run("udp53:127.0.0.1:" + silent.getLocalPort()), startsWith("PASS "));
        }
        assertThat(IsolationProbe.run("unknown:1"), startsWith("FAIL unknown:1 unknown probe"));
    }

    @Test
    void theDnsProbeFailsWhenTheNameIsAnswered() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Thread.ofVirtual().start(() -> answer(server, 0, 1));
            assertThat(IsolationProbe.run("dns-denies:127.0.0.1:x.invalid:" + server.getLocalPort()),
                    startsWith("FAIL "));
        }
    }

    @Test
    void splitsProbesKeepingBracketedIpv6Whole() {
        assertThat(IsolationProbe.split("tcp:[2001:db8::1]:443"), equalTo(List.of("tcp", "2001:db8::1", "443")));
        assertThat(IsolationProbe.split("proxy-denies:10.0.0.3:3128:x.invalid"),
                equalTo(List.of("proxy-denies", "10.0.0.3", "3128", "x.invalid")));
    }

    @Test
    void theHealthProbeWantsA200WithStatusOk() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + server.getLocalPort();
            Thread.ofVirtual().start(() -> serve(server, "HTTP/1.1 200 OK\r\n\r\n{\"status\":\"ok\"}",
                    "HTTP/1.1 200 OK\r\n\r\n{\"status\":\"degraded\"}"));
            assertThat(HealthProbe.healthy(address), is(true));
            assertThat(HealthProbe.healthy(address), is(false));
        }
        assertThat(HealthProbe.healthy("127.0.0.1:" + freePort()), is(false));
        assertThat(HealthProbe.healthy("nonsense"), is(false));
    }

    private static void serve(ServerSocket server, String... responses) {
        for (String response : responses) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                in.readNBytes(in.available());
                OutputStream out = s.getOutputStream();
                out.write(response.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers {@code count} queries with the query echoed back as a response carrying {@code rcode}. */
    private static void answer(DatagramSocket server, int rcode, int count) {
        try {
            for (int i = 0; i < count; i++) {
                byte[] buf = new byte[512];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                server.receive(p);
                buf[2] |= (byte) 0x80;
                buf[3] = (byte) rcode;
                server.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
            }
        } catch (IOException e) {
            // the test is over
        }
    }
}
