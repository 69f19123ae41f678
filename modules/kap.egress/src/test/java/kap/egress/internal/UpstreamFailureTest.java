package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/** Upstream failures map to 502 or 504 with a safe message, and the audit records the allow and the failure. */
@Timeout(60)
class UpstreamFailureTest {

    private static int closedPort;
    private static ServerSocket full;
    private static final List<Socket> backlogFillers = new ArrayList<>();
    private static Upstreams.Raw garbage;
    private static Upstreams.Raw ambiguous;
    private static Upstreams.Raw silent;
    private static EgressFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        // a listener that never accepts, its backlog filled: further connection attempts hang
        full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 3; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(full.getLocalSocketAddress(), 300);
            } catch (java.io.IOException e) {
                // backlog already full
            }
            backlogFillers.add(filler);
        }
        garbage = Upstreams.Raw.answering("SSH-2.0-not-http\r\n\r\n");
        ambiguous = Upstreams.Raw.answering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");
        silent = Upstreams.Raw.silent();
        proxy = EgressFixture.builder()
                .allow("down.test:" + closedPort, "hang.test:" + full.getLocalPort(), "nowhere.test",
                        "garbage.test:" + garbage.port(), "ambiguous.test:" + ambiguous.port(),
                        "slow.test:" + silent.port())
                .unsafe("127.0.0.0/8")
                .name("down.test", "127.0.0.1").name("hang.test", "127.0.0.1").name("garbage.test", "127.0.0.1")
                .name("ambiguous.test", "127.0.0.1").name("slow.test", "127.0.0.1")
                .limit("connect_timeout", "\"500ms\"").limit("idle_timeout", "\"1s\"")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        for (Socket s : backlogFillers) {
            s.close();
        }
        full.close();
        garbage.close();
        ambiguous.close();
        silent.close();
    }

    @Test
    void refusedConnectionIs502() throws Exception {
        String response = connect("down.test:" + closedPort);
        assertThat(RawClient.status(response), is(502));
        assertThat(response, containsString("upstream refused the connection"));
        AuditEvent event = proxy.awaitEvent("down.test:" + closedPort);
        assertThat(event.verdict(), is(AuditEvent.Outcome.ALLOW));
        assertThat(event.reason(), is(Reasons.ALLOWED_BY_RULE));
        assertThat(ConnectTunnelTest.number(event, "status"), is(502L));
    }

    @Test
    void connectTimeoutIs504() throws Exception {
        String response = connect("hang.test:" + full.getLocalPort());
        assertThat(RawClient.status(response), is(504));
        assertThat(response, containsString("within 500 ms"));
        assertThat(ConnectTunnelTest.number(proxy.awaitEvent("hang.test:" + full.getLocalPort()), "status"),
                is(504L));
    }

    @Test
    void nameWithoutAddressIs502() throws Exception {
        String response = connect("nowhere.test:443");
        assertThat(RawClient.status(response), is(502));
        assertThat(response, containsString("does not resolve"));
    }

    @Test
    void nonHttpAnswerIs502WithoutEchoingIt() throws Exception {
        String response = get("garbage.test:" + garbage.port());
        assertThat(RawClient.status(response), is(502));
        assertThat(response, not(containsString("SSH-2.0")));
    }

    @Test
    void ambiguousResponseFramingIs502() throws Exception {
        String response = get("ambiguous.test:" + ambiguous.port());
        assertThat(RawClient.status(response), is(502));
        assertThat(response, containsString("ambiguous response framing"));
    }

    @Test
    void upstreamThatNeverAnswersIs504() throws Exception {
        String response = get("slow.test:" + silent.port());
        assertThat(RawClient.status(response), is(504));
        assertThat(ConnectTunnelTest.number(proxy.awaitEvent(e -> e.subject().equals("slow.test:" + silent.port())
                && e.detail().get("status") != null), "status"), is(504L));
    }

    private static String connect(String target) throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            return client.send("CONNECT " + target + " HTTP/1.1\r\n\r\n").readResponse();
        }
    }

    private static String get(String authority) throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            return client.send("GET http://" + authority + "/ HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
        }
    }
}
