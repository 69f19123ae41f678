package kap.remote;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import kap.policy.AuditEvent;
import kap.policy.Reasons;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Which denials become requests, and what approving them would open.
 */
class ApprovableTest {

    private static Optional<Approvable> of(String source, String subject, String reason, Map<String, Object> detail) {
        return Approvable.of(new AuditEvent(Instant.now(), source, subject, AuditEvent.Outcome.DENY, reason,
                Optional.empty(), Optional.empty(), detail));
    }

    @Test
    void egressAndDnsDenialsOfOneHostAreTheSameNetworkRule() {
        assertThat(of("egress", "api.example.com:443", Reasons.NO_RULE_MATCHED, Map.of()).orElseThrow().grantPattern(),
                is("api.example.com"));
        assertThat(of("dns", "api.example.com A", Reasons.NO_RULE_MATCHED, Map.of()).orElseThrow().grantPattern(),
                is("api.example.com"));
        assertThat(of("egress", "db.example.com:5432", Reasons.PORT_NOT_ALLOWED, Map.of()).orElseThrow()
                .grantPattern(), is("db.example.com:5432"));
        assertThat(of("egress", "[2001:db8::1]:443", Reasons.IP_LITERAL_NEEDS_IP_RULE, Map.of()).orElseThrow()
                .grantPattern(), is("2001:db8::1"));
    }

    @Test
    void mcpToolCallsAndCliCommandsKeepTheirOwner() {
        Approvable mcp = of("mcp", "github/create_issue", Reasons.NO_RULE_MATCHED, Map.of("method", "tools/call"))
                .orElseThrow();
        assertThat(mcp.grantPattern(), is("github/create_issue"));
        assertThat(mcp.owner(), is(Optional.of("github")));
        assertThat(of("mcp", "github/resources/read x", Reasons.NO_RULE_MATCHED, Map.of("method", "resources/read")),
                is(Optional.empty()));
        Approvable cli = of("clix", "gh issue create --title 'a b'", Reasons.NO_RULE_MATCHED, Map.of()).orElseThrow();
        assertThat(cli.grantPattern(), is("gh issue create *"));
        assertThat(cli.pattern(), is("issue create *"));
        assertThat(of("clix", "gh --repo x issue list", Reasons.NO_RULE_MATCHED, Map.of()).orElseThrow().blocked()
                .isPresent(), is(true));
    }

    @Test
    void denyRulesAndNonPublicAddressesAreRequestsThatCannotBeApprovedHere() {
        assertThat(of("egress", "gist.github.com:443", Reasons.DENIED_BY_RULE, Map.of()).orElseThrow().blocked()
                .isPresent(), is(true));
        assertThat(of("egress", "intranet.example:443", Reasons.NON_PUBLIC_ADDRESS, Map.of()).orElseThrow().blocked()
                .isPresent(), is(true));
        assertThat("DNS guard refusals are not requests", of("dns", "x.example TXT", Reasons.ZONE_BUDGET_EXCEEDED,
                Map.of()), is(Optional.empty()));
    }

    @Test
    void aChangedMcpToolIsAPinRequest() {
        Approvable pin = Approvable.of(new AuditEvent(Instant.now(), "mcp", "github/create_issue",
                AuditEvent.Outcome.ALERT, Reasons.TOOL_CHANGED, Optional.of("pin"), Optional.empty(), Map.of()))
                .orElseThrow();
        assertThat(pin.kind(), is("pin"));
        assertThat(pin.owner(), is(Optional.of("github")));
        assertThat(pin.pattern(), is("create_issue"));
    }
}
