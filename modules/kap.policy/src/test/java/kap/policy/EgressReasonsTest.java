package kap.policy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** The reason strings kap.egress writes are a contract: the audit log, why-denied and the phone UI match on them. */
class EgressReasonsTest {

    @Test
    void egressReasonsAreStable() {
        assertThat(Reasons.SNI_MISMATCH, is("SNI mismatch"));
        assertThat(Reasons.MALFORMED_REQUEST, is("malformed request"));
        assertThat(Reasons.LIMIT_EXCEEDED, is("limit exceeded"));
        assertThat(Reasons.METHOD_NOT_ALLOWED, is("method not allowed"));
    }

    @Test
    void egressReasonsWorkAsDecisionReasons() {
        Decision d = Decision.denyByDefault(Reasons.SNI_MISMATCH);
        assertThat(d.allowed(), is(false));
        assertThat(AuditEvent.parse(AuditEvent.of("egress", "a.test:443", d, "127.0.0.1").toJson()).orElseThrow()
                .reason(), is("SNI mismatch"));
    }
}
