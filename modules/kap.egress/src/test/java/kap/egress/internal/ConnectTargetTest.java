package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/** CONNECT targets: IP literals need IP rules, ports need port rules, malformed targets never reach a decision. */
@Timeout(30)
class ConnectTargetTest {

    private static Upstreams.Raw upstream;
    private static EgressFixture proxy;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        upstream = Upstreams.Raw.banner("HELLO\r\n");
        port = upstream.port();
        proxy = EgressFixture.builder()
                .allow("web.test", "ssh.test:" + port, "127.0.0.1:" + port, "[::1]:" + port)
                .deny("gist.web.test")
                .unsafe("127.0.0.1/32")
                .name("web.test", "127.0.0.1")
                .name("ssh.test", "127.0.0.1")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @Test
    void ipLiteralWithoutIpRuleIsDenied() throws Exception {
        assertDenied("127.0.0.3:" + port, Reasons.IP_LITERAL_NEEDS_IP_RULE, "allow = [..., \"127.0.0.3:" + port
                + "\"]");
    }

    @Test
    void ipLiteralWithIpRuleStillNeedsTheAddressLayer() throws Exception {
        assertDenied("[::1]:" + port, Reasons.NON_PUBLIC_ADDRESS, "unsafe_allow_cidrs = [..., \"::1/128\"]");
    }

    @Test
    void ipLiteralWithIpRuleAndUnsafeCidrConnects() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\n\r\n");
            assertThat(client.readHead(), containsString("200"));
            assertThat(new String(client.readBytes(7), StandardCharsets.US_ASCII), is("HELLO\r\n"));
        }
    }

    @Test
    void bareRuleDoesNotOpenOtherPorts() throws Exception {
        assertDenied("web.test:8443", Reasons.PORT_NOT_ALLOWED, "allow = [..., \"web.test:8443\"]");
        assertDenied("web.test:22", Reasons.PORT_NOT_ALLOWED, "allow = [..., \"web.test:22\"]");
    }

    @Test
    void hostPortRuleOpensItsPortOnly() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            client.send("CONNECT ssh.test:" + port + " HTTP/1.1\r\n\r\n");
            assertThat(client.readHead(), containsString("200"));
        }
        assertDenied("ssh.test:443", Reasons.NO_RULE_MATCHED, "allow = [..., \"ssh.test\"]");
    }

    @Test
    void denyRuleWinsAndSaysSo() throws Exception {
        String response = assertDenied("gist.web.test:443", Reasons.DENIED_BY_RULE, "remove \"gist.web.test\"");
        assertThat(response, containsString("rule=\"gist.web.test\""));
    }

    @Test
    void upperCaseAndTrailingDotAreTheSameName() throws Exception {
        assertDenied("GIST.Web.Test.:443", Reasons.DENIED_BY_RULE, "gist.web.test");
    }

    static Stream<String> malformedTargets() {
        return Stream.of("web.test", "web.test:", "web.test:0", "web.test:65536", "web.test:-1", "web.test:+443",
                "web.test:0443", "web.test:443:443", "web.test:https", "web.test:443/path", "/web.test:443",
                "http://web.test:443", "user@web.test:443", "[::1]]:443", "[[::1]]:443", "[::1:443", "::1:443",
                "127.1:443", "0x7f000001:443", "2130706433:443", "%77eb.test:443", "web..test:443", ":443",
                "web.test :443", "*.test:443", "web_test\\:443");
    }

    @ParameterizedTest
    @MethodSource("malformedTargets")
    void malformedTargetIsRefusedBeforeAnyDecision(String target) throws Exception {
        AtomicInteger before = new AtomicInteger(proxy.events().size());
        int connectionsBefore = upstream.connections();
        try (RawClient client = new RawClient(proxy.address())) {
            String response = client.send("CONNECT " + target + " HTTP/1.1\r\n\r\n").readResponse();
            assertThat(response, RawClient.status(response), is(400));
            assertThat(response, containsString("X-Kap-Decision: deny; reason=\"malformed request\""));
        }
        AuditEvent event = proxy.awaitEvent(e -> proxy.events().indexOf(e) >= before.get()
                && e.reason().equals(Reasons.MALFORMED_REQUEST));
        assertThat(event.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(upstream.connections(), is(connectionsBefore));
    }

    private static String assertDenied(String target, String reason, String howTo) throws Exception {
        String response;
        try (RawClient client = new RawClient(proxy.address())) {
            response = client.send("CONNECT " + target + " HTTP/1.1\r\n\r\n").readResponse();
        }
        assertThat(response, RawClient.status(response), is(403));
        assertThat(response, containsString("reason=\"" + reason + "\""));
        assertThat(response, containsString(howTo));
        AuditEvent event = proxy.awaitEvent(e -> e.reason().equals(reason) && e.verdict() == AuditEvent.Outcome.DENY
                && e.subject().equalsIgnoreCase(target.toLowerCase().replace(".:", ":")));
        assertThat(event.detail().get("method"), is("CONNECT"));
        return response;
    }
}
