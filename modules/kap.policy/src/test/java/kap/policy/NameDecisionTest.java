package kap.policy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * DNS asks about names without a port: a name resolves if any allow rule names it on some port.
 */
class NameDecisionTest {

    private final Policy policy = Policies.network(
            List.of("github.com", "*.example.com", "git.corp.example:22"),
            List.of("gist.github.com", "bad.example.com:443"));

    @Test
    void resolvesANameAllowedByABareRule() {
        Decision d = policy.decideName("github.com");
        assertThat(d.allowed(), is(true));
        assertThat(d.reason(), is(Reasons.ALLOWED_BY_RULE));
    }

    @Test
    void resolvesANameAllowedOnlyOnAnotherPort() {
        Decision d = policy.decideName("git.corp.example");
        assertThat(d.allowed(), is(true));
        assertThat(d.rule().orElseThrow(), is("git.corp.example:22"));
    }

    @Test
    void refusesANameABareDenyRuleMatches() {
        Decision d = policy.decideName("gist.github.com");
        assertThat(d.allowed(), is(false));
        assertThat(d.reason(), is(Reasons.DENIED_BY_RULE));
        assertThat(d.rule().orElseThrow(), is("gist.github.com"));
    }

    @Test
    void stillResolvesANameWhoseOnlyDenyIsOnePort() {
        Decision d = policy.decideName("bad.example.com");
        assertThat(d.allowed(), is(true));
    }

    @Test
    void refusesAnUnlistedName() {
        Decision d = policy.decideName("example.org");
        assertThat(d.allowed(), is(false));
        assertThat(d.reason(), is(Reasons.NO_RULE_MATCHED));
        assertThat(d.isDefault(), is(true));
    }

    @Test
    void refusesTheApexOfAWildcard() {
        assertThat(policy.decideName("example.com").allowed(), is(false));
    }
}
