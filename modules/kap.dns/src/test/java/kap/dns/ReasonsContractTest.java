package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import kap.policy.Reasons;

/**
 * The reason strings kap.dns writes are a contract: people and tools grep the audit log for them.
 */
class ReasonsContractTest {

    @Test
    void dnsReasonStringsAreStable() {
        assertThat(Reasons.MALFORMED_QUERY, is("malformed query"));
        assertThat(Reasons.UNSUPPORTED_OPCODE, is("unsupported opcode"));
        assertThat(Reasons.QUERY_TYPE_REFUSED, is("query type refused"));
        assertThat(Reasons.NON_PUBLIC_REVERSE_LOOKUP, is("reverse lookup of a non-public address"));
        assertThat(Reasons.SINGLE_LABEL_NAME, is("single-label name"));
        assertThat(Reasons.SPECIAL_USE_NAME, is("special-use name"));
        assertThat(Reasons.NAME_TOO_LONG, is("name too long"));
        assertThat(Reasons.ZONE_BUDGET_EXCEEDED, is("zone budget exceeded"));
        assertThat(Reasons.CLIENT_RATE_EXCEEDED, is("client rate exceeded"));
    }
}
