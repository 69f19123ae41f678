package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/** Tunnel and connection caps answer 429 with Retry-After and release their slots; idle tunnels are closed. */
@Timeout(60)
class LimitsTest {

    @Test
    void tunnelCapAnswers429AndReleasesSlotsOnClose() throws Exception {
        try (Upstreams.Raw upstream = Upstreams.Raw.banner("HI\r\n");
             EgressFixture proxy = EgressFixture.builder().allow("cap.test:" + upstream.port())
                     .unsafe("127.0.0.0/8").name("cap.test", "127.0.0.1").limit("max_tunnels", "2").start()) {
            String connect = "CONNECT cap.test:" + upstream.port() + " HTTP/1.1\r\n\r\n";
            RawClient first = open(proxy, connect);
            RawClient second = open(proxy, connect);
            try (RawClient third = new RawClient(proxy.address())) {
                String refused = third.send(connect).readResponse();
                assertThat(RawClient.status(refused), is(429));
                assertThat(refused, containsString("Retry-After: 1\r\n"));
                assertThat(refused, containsString("too many open tunnels"));
            }
            AuditEvent event = proxy.awaitEvent(e -> e.reason().equals(Reasons.LIMIT_EXCEEDED));
            assertThat(event.subject(), is("cap.test:" + upstream.port()));
            first.close();
            waitUntil(() -> proxy.egress().status().get("open_tunnels").equals(1));
            open(proxy, connect).close();
            second.close();
            waitUntil(() -> proxy.egress().status().get("open_tunnels").equals(0));
        }
    }

    @Test
    void connectionCapAnswers429ToTheNextConnection() throws Exception {
        try (EgressFixture proxy = EgressFixture.builder().limit("max_connections", "3").start()) {
            List<RawClient> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(new RawClient(proxy.address()));
            }
            waitUntil(() -> proxy.egress().status().get("open_connections").equals(3));
            try (RawClient extra = new RawClient(proxy.address())) {
                String refused = extra.readToEnd();
                assertThat(refused, containsString("429 Too Many Requests"));
                assertThat(refused, containsString("Retry-After: 1"));
            }
            proxy.awaitEvent(e -> String.valueOf(e.detail().get("error")).contains("too many connections"));
            held.getFirst().close();
            waitUntil(() -> proxy.egress().status().get("open_connections").equals(2));
            try (RawClient again = new RawClient(proxy.address())) {
                String answer = again.send("GET http://x.test/ HTTP/1.1\r\n\r\n").readResponse();
                assertThat(RawClient.status(answer), is(403));
            }
            for (RawClient c : held) {
                c.close();
            }
        }
    }

    @Test
    void idleTunnelIsClosedButABusyOneIsNot() throws Exception {
        try (Upstreams.Raw upstream = Upstreams.Raw.echo();
             EgressFixture proxy = EgressFixture.builder().allow("idle.test:" + upstream.port())
                     .unsafe("127.0.0.0/8").name("idle.test", "127.0.0.1").limit("idle_timeout", "\"1s\"").start()) {
            String connect = "CONNECT idle.test:" + upstream.port() + " HTTP/1.1\r\n\r\n";
            RawClient busy = open(proxy, connect);
            RawClient idle = open(proxy, connect);
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) {
                busy.send("x");
                assertThat(new String(busy.readBytes(1), StandardCharsets.US_ASCII), is("x"));
                EgressFixture.sleep(300);
            }
            assertThat(idle.closedByPeer(), is(true));
            assertThat((System.nanoTime() - start) / 1_000_000, lessThan(8_000L));
            busy.send("y");
            assertThat(new String(busy.readBytes(1), StandardCharsets.US_ASCII), is("y"));
            busy.close();
            idle.close();
        }
    }

    private static RawClient open(EgressFixture proxy, String connect) throws Exception {
        RawClient client = new RawClient(proxy.address());
        assertThat(client.send(connect).readHead(), containsString("200"));
        return client;
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            EgressFixture.sleep(10);
        }
    }
}
