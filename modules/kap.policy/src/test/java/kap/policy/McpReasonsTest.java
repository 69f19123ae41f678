package kap.policy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The reason strings the MCP proxy writes are a contract like the others: their text is fixed and none collides.
 */
class McpReasonsTest {

    @Test
    void mcpReasonsHaveTheirDocumentedText() {
        assertThat(Reasons.MALFORMED_MESSAGE, is("malformed message"));
        assertThat(Reasons.UNSAFE_NAME, is("unsafe name"));
        assertThat(Reasons.METHOD_NOT_ALLOWED, is("method not allowed"));
        assertThat(Reasons.TOOL_CHANGED, is("tool changed since approval"));
        assertThat(Reasons.TOOL_PINNED, is("tool pinned on first use"));
        assertThat(Reasons.TOOL_APPROVED, is("tool change approved"));
        assertThat(Reasons.LIMIT_EXCEEDED, is("limit exceeded"));
    }

    @Test
    void noTwoReasonsShareText() {
        List<String> all = List.of(Reasons.DENIED_BY_RULE, Reasons.ALLOWED_BY_RULE, Reasons.NO_RULE_MATCHED,
                Reasons.EMPTY_ALLOW_LIST, Reasons.PORT_NOT_ALLOWED, Reasons.IP_LITERAL_NEEDS_IP_RULE,
                Reasons.INVALID_HOST, Reasons.PUBLIC_ADDRESS, Reasons.NON_PUBLIC_ADDRESS,
                Reasons.OPENED_BY_UNSAFE_CIDR, Reasons.NOT_CONFIGURED, Reasons.UNJUDGEABLE,
                Reasons.MALFORMED_MESSAGE, Reasons.UNSAFE_NAME, Reasons.METHOD_NOT_ALLOWED, Reasons.TOOL_CHANGED,
                Reasons.TOOL_PINNED, Reasons.TOOL_APPROVED, Reasons.LIMIT_EXCEEDED);
        assertThat(Set.copyOf(all).size(), is(all.size()));
    }
}
