package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.sun.net.httpserver.HttpServer;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/** Slow clients hold no more than the header deadline, and a real client is served while they try. */
@Timeout(60)
class SlowlorisTest {

    private static final int ATTACKERS = 40;

    private static HttpServer http;
    private static EgressFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        http = Upstreams.http();
        proxy = EgressFixture.builder()
                .allow("plain.test:" + http.getAddress().getPort())
                .unsafe("127.0.0.0/8")
                .name("plain.test", "127.0.0.1")
                .limit("header_timeout", "\"1s\"")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        http.stop(0);
    }

    @Test
    void dribblingClientsAreCutOffWhileARealClientIsServed() throws Exception {
        List<RawClient> slow = new ArrayList<>();
        List<Thread> dribblers = new ArrayList<>();
        for (int i = 0; i < ATTACKERS; i++) {
            RawClient c = new RawClient(proxy.address());
            slow.add(c);
            dribblers.add(Thread.ofVirtual().start(() -> dribble(c)));
        }
        long start = System.nanoTime();
        Curl curl = Curl.run(proxy.port(), "http://plain.test:" + http.getAddress().getPort() + "/hello");
        assertThat(curl.stderr(), curl.exitCode(), is(0));
        assertThat(curl.stdout(), containsString("hello from plain.test"));
        assertThat("served while the attack runs", (System.nanoTime() - start) / 1_000_000 < 1000, is(true));
        for (RawClient c : slow) {
            String answer = c.readToEnd();
            assertThat(answer, containsString("408 Request Timeout"));
            c.close();
        }
        for (Thread t : dribblers) {
            t.join();
        }
        long refusals = proxy.events().stream().filter(e -> e.reason().equals(Reasons.LIMIT_EXCEEDED)
                && String.valueOf(e.detail().get("error")).contains("not complete within 1000 ms")).count();
        assertThat(refusals, greaterThanOrEqualTo((long) ATTACKERS));
    }

    @Test
    void silentConnectionIsClosedAtTheHeaderDeadline() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            String answer = client.readToEnd();
            assertThat(answer, containsString("408 Request Timeout"));
        }
        AuditEvent event = proxy.awaitEvent(e -> String.valueOf(e.detail().get("error")).contains("no request head"));
        assertThat(event.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(event.reason(), is(Reasons.LIMIT_EXCEEDED));
    }

    private static void dribble(RawClient c) {
        String head = "GET http://plain.test/hello HTTP/1.1\r\nHost: plain.test\r\nX-Slow: ";
        try {
            c.send(head);
            for (int i = 0; i < 50; i++) {
                c.send("a");
                EgressFixture.sleep(100);
            }
        } catch (IOException e) {
            // the proxy gave up on us: the expected end
        }
    }
}
