package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

/**
 * The second layer: an allowed name that resolves to a non-public address (DNS rebinding, SSRF to the metadata
 * service or the host) is refused before any dial, and the refusal is in the audit log. None of these addresses is
 * ever connected to: the denial happens before dialling.
 */
@Timeout(30)
class AddressLayerTest {

    private static Upstreams.Raw upstream;
    private static EgressFixture proxy;

    record Case(String name, String address, String addressClass) {
        @Override
        public String toString() {
            return name + " -> " + address;
        }
    }

    static Stream<Case> rebinding() {
        return Stream.of(
                new Case("loopback.test", "127.0.0.1", "LOOPBACK"),
                new Case("loopback-high.test", "127.255.0.9", "LOOPBACK"),
                new Case("private10.test", "10.1.2.3", "PRIVATE"),
                new Case("private192.test", "192.168.1.1", "PRIVATE"),
                new Case("metadata.test", "169.254.169.254", "METADATA"),
                new Case("linklocal.test", "169.254.1.1", "LINK_LOCAL"),
                new Case("cgnat.test", "100.64.0.1", "SHARED"),
                new Case("zero.test", "0.0.0.0", "UNSPECIFIED"),
                new Case("v6loopback.test", "::1", "LOOPBACK"),
                new Case("mapped.test", "::ffff:127.0.0.1", "LOOPBACK"),
                new Case("nat64.test", "64:ff9b::7f00:1", "LOOPBACK"),
                new Case("nat64-metadata.test", "64:ff9b::a9fe:a9fe", "METADATA"),
                new Case("ula.test", "fd12:3456::1", "PRIVATE"),
                new Case("aws-v6-metadata.test", "fd00:ec2::254", "METADATA"));
    }

    @BeforeAll
    static void start() throws Exception {
        upstream = Upstreams.Raw.silent();
        EgressFixture.Builder builder = EgressFixture.builder().allow("mixed.test");
        rebinding().forEach(c -> builder.allow(c.name()).name(c.name(), c.address()));
        builder.name("mixed.test", "10.0.0.1", "169.254.169.254");
        proxy = builder.start();
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    @ParameterizedTest
    @MethodSource("rebinding")
    void connectToNameResolvingToNonPublicAddressIsDenied(Case c) throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            String response = client.send("CONNECT " + c.name() + ":443 HTTP/1.1\r\n\r\n").readResponse();
            assertThat(RawClient.status(response), is(403));
            assertThat(response, containsString("reason=\"" + Reasons.NON_PUBLIC_ADDRESS + "\""));
            assertThat(response, containsString("class=\"" + c.addressClass() + "\""));
            assertThat(response, containsString("unsafe_allow_cidrs"));
        }
        AuditEvent event = proxy.awaitEvent(c.name() + ":443");
        assertThat(event.verdict(), is(AuditEvent.Outcome.DENY));
        assertThat(event.reason(), is(Reasons.NON_PUBLIC_ADDRESS));
        assertThat(event.detail().get("address_class"), is(c.addressClass()));
        assertThat(event.detail().get("method"), is("CONNECT"));
        assertThat(upstream.connections(), is(0));
    }

    @ParameterizedTest
    @MethodSource("rebinding")
    void plainRequestToNameResolvingToNonPublicAddressIsDenied(Case c) throws Exception {
        Curl curl = Curl.run(proxy.port(), "-i", "http://" + c.name() + "/latest/meta-data/");
        assertThat(curl.stdout(), containsString("HTTP/1.1 403 Forbidden by kap: " + c.name()
                + ":80 resolves to non-public address"));
        AuditEvent event = proxy.awaitEvent(c.name() + ":80");
        assertThat(event.reason(), is(Reasons.NON_PUBLIC_ADDRESS));
        assertThat(event.detail().get("method"), is("GET"));
    }

    @Test
    void everyAddressOfAnAnswerMustPass() throws Exception {
        try (RawClient client = new RawClient(proxy.address())) {
            String response = client.send("CONNECT mixed.test:443 HTTP/1.1\r\n\r\n").readResponse();
            assertThat(RawClient.status(response), is(403));
        }
        AuditEvent event = proxy.awaitEvent("mixed.test:443");
        assertThat(event.detail().get("address"), is("10.0.0.1"));
    }
}
