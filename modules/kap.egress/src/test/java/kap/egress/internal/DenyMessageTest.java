package kap.egress.internal;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.net.InetAddress;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import kap.policy.AddressClass;
import kap.policy.Classification;
import kap.policy.Decision;
import kap.policy.HostPort;
import kap.policy.Reasons;

/** The 403 text: what, why, that other routes fail too, and the exact change that allows it. */
class DenyMessageTest {

    @Test
    void noRuleMatchedNamesTheTomlLineForDefaultPorts() {
        String body = DenyMessage.body("CONNECT", HostPort.of("example.com", 443),
                Decision.denyByDefault(Reasons.NO_RULE_MATCHED), Optional.empty());
        assertThat(body, containsString("kap denied CONNECT example.com:443."));
        assertThat(body, containsString("Reason: no rule matched"));
        assertThat(body, containsString("Rule: none (default deny)"));
        assertThat(body, containsString("Direct connections, other DNS servers"));
        assertThat(body, containsString("allow = [..., \"example.com\"]"));
        assertThat(body, containsString("kap phone UI"));
    }

    @Test
    void otherPortsNeedAHostPortRule() {
        String body = DenyMessage.body("CONNECT", HostPort.of("github.com", 22),
                Decision.deny(Reasons.PORT_NOT_ALLOWED, "github.com"), Optional.empty());
        assertThat(body, containsString("a bare rule opens ports 80 and 443 only"));
        assertThat(body, containsString("allow = [..., \"github.com:22\"]"));
    }

    @Test
    void denyRuleCannotBeApprovedAway() {
        String body = DenyMessage.body("GET", HostPort.of("gist.github.com", 443),
                Decision.deny(Reasons.DENIED_BY_RULE, "gist.github.com"), Optional.empty());
        assertThat(body, containsString("remove \"gist.github.com\" from deny"));
        assertThat(body, not(containsString("allow = [")));
    }

    @Test
    void nonPublicAddressNamesTheUnsafeCidr() {
        Classification c = new Classification(InetAddress.ofLiteral("169.254.169.254"), AddressClass.METADATA,
                "cloud metadata endpoint", Optional.empty());
        String body = DenyMessage.body("CONNECT", HostPort.of("rebind.example", 443),
                Decision.denyByDefault(Reasons.NON_PUBLIC_ADDRESS), Optional.of(c));
        assertThat(body, containsString("rebind.example resolved to 169.254.169.254: cloud metadata endpoint"));
        assertThat(body, containsString("unsafe_allow_cidrs = [..., \"169.254.169.254/32\"]"));
    }

    @Test
    void headerIsOneLineOfQuotedAscii() {
        String header = DenyMessage.header(HostPort.of("example.com", 443),
                Decision.deny(Reasons.DENIED_BY_RULE, "ex\"am\\ple\u00e9\r\n"), Optional.empty());
        assertThat(header, is("deny; reason=\"denied by rule\"; rule=\"ex\\\"am\\\\ple???\"; "
                + "target=\"example.com:443\""));
    }

    @Test
    void statusLineCarriesTheGistForClientsThatHideTheBody() {
        assertThat(DenyMessage.reasonPhrase(HostPort.of("example.com", 443),
                Decision.denyByDefault(Reasons.NO_RULE_MATCHED), Optional.empty()),
                is("Forbidden by kap: example.com:443 no rule matched; other routes are blocked too; "
                        + "ask a human to add \"example.com\" to allow in kap.toml"));
        assertThat(DenyMessage.reasonPhrase(HostPort.of("gist.github.com", 443),
                Decision.deny(Reasons.DENIED_BY_RULE, "gist.github.com"), Optional.empty()),
                containsString("denied by rule \"gist.github.com\"; other routes are blocked too; only a human "
                        + "removing that deny rule"));
    }

    @Test
    void ipv6EntriesAreBracketedWithPort() {
        assertThat(DenyMessage.allowEntry(HostPort.of("[2001:db8::1]", 443)), is("[2001:db8::1]:443"));
        assertThat(DenyMessage.allowEntry(HostPort.of("192.0.2.1", 80)), is("192.0.2.1"));
        assertThat(DenyMessage.canonical(InetAddress.ofLiteral("0:0:0:0:0:0:0:1")), is("::1"));
    }
}
