package kap.policy;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Ambiguous or malformed network rules are rejected with a message that names the rule, its line and the problem.
 */
class RuleValidationTest {

    record Case(String rule, String message) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Case> rejected() {
        return Stream.of(
                new Case("*hub.com", "a wildcard must be a whole label: write '*.hub.com'"),
                new Case("a.*.com", "a wildcard is only allowed as the first label"),
                new Case("*.*.example.com", "only one wildcard is allowed"),
                new Case("*", "'*' would allow every host"),
                new Case("*.com", "covers a whole top-level domain"),
                new Case("exa mple.com", "invalid character in name: ' '"),
                new Case("a..example.com", "empty label"),
                new Case("x".repeat(64) + ".example.com", "label longer than 63"),
                new Case("1.2.3", "not an IP address or CIDR"),
                new Case("010.0.0.1", "not an IP address or CIDR"),
                new Case("example.123", "ambiguous numeric host"),
                new Case("10.0.0.5/8", "host bits set in 10.0.0.5/8 (did you mean 10.0.0.0/8?)"),
                new Case("10.0.0.0/33", "prefix /33 out of range"),
                new Case("2001:db8::/129", "prefix /129 out of range"),
                new Case("10.0.0.0/08", "invalid prefix length"),
                new Case("github.com:0", "port out of range"),
                new Case("github.com:65536", "port out of range"),
                new Case("github.com:022", "invalid port: '022'"),
                new Case("example.com:80:443", "invalid character in name: ':'"),
                new Case("[::1", "not an IP address or CIDR"),
                new Case("fe80::1%eth0", "invalid character in name"),
                new Case("exam\tple.com", "invalid character in name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsAmbiguousOrMalformedRuleWithItsLine(Case c) {
        String toml = "# comment\n[proxy.network]\nallow = [\n  \"github.com\",\n  "
                + Policies.array(java.util.List.of(c.rule())).replaceAll("^\\[|]$", "") + ",\n]\n";
        ConfigException e = assertThrows(ConfigException.class, () -> Policies.fromToml(toml));
        assertThat(e.problems(), hasSize(1));
        ConfigProblem p = e.problems().getFirst();
        assertThat(p.line(), is(5));
        assertThat(p.key(), is("proxy.network.allow[1]"));
        assertThat(p.message(), containsString("invalid rule '" + c.rule() + "'"));
        assertThat(p.message(), containsString(c.message()));
        assertThat(p.toString(), containsString("kap.toml:5: proxy.network.allow[1]: invalid rule"));
    }
}
