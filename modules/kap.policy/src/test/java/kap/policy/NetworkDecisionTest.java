package kap.policy;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static kap.policy.Reasons.ALLOWED_BY_RULE;
import static kap.policy.Reasons.DENIED_BY_RULE;
import static kap.policy.Reasons.EMPTY_ALLOW_LIST;
import static kap.policy.Reasons.IP_LITERAL_NEEDS_IP_RULE;
import static kap.policy.Reasons.NO_RULE_MATCHED;
import static kap.policy.Reasons.PORT_NOT_ALLOWED;
import static kap.policy.Verdict.ALLOW;
import static kap.policy.Verdict.DENY;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The first network layer, table-driven: each case asserts verdict, reason and rule.
 */
class NetworkDecisionTest {

    record Case(String name, List<String> allow, List<String> deny, String host, int port, Verdict verdict,
                String reason, String rule) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<String> none = List.of();
        return Stream.of(
                new Case("exact name is allowed", List.of("github.com"), none, "github.com", 443, ALLOW,
                        ALLOWED_BY_RULE, "github.com"),
                new Case("upper case target is normalised", List.of("github.com"), none, "GitHub.COM", 443, ALLOW,
                        ALLOWED_BY_RULE, "github.com"),
                new Case("upper case rule is normalised", List.of("GITHUB.com"), none, "github.com", 443, ALLOW,
                        ALLOWED_BY_RULE, "GITHUB.com"),
                new Case("trailing dot on target is dropped", List.of("github.com"), none, "github.com.", 443, ALLOW,
                        ALLOWED_BY_RULE, "github.com"),
                new Case("trailing dot on rule is dropped", List.of("github.com."), none, "github.com", 443, ALLOW,
                        ALLOWED_BY_RULE, "github.com."),
                new Case("unicode target matches punycode rule", List.of("xn--bcher-kva.example"), none,
                        "bücher.example", 443, ALLOW, ALLOWED_BY_RULE, "xn--bcher-kva.example"),
                new Case("unicode rule matches punycode target", List.of("BÜCHER.example"), none,
                        "xn--bcher-kva.example", 443, ALLOW, ALLOWED_BY_RULE, "BÜCHER.example"),
                new Case("wildcard matches a subdomain", List.of("*.github.com"), none, "api.github.com", 443, ALLOW,
                        ALLOWED_BY_RULE, "*.github.com"),
                new Case("wildcard matches a deeper subdomain", List.of("*.github.com"), none, "a.b.github.com", 443,
                        ALLOW, ALLOWED_BY_RULE, "*.github.com"),
                new Case("wildcard does not match its apex", List.of("*.github.com"), none, "github.com", 443, DENY,
                        NO_RULE_MATCHED, null),
                new Case("wildcard is bounded by a label", List.of("*.github.com"), none, "evilgithub.com", 443, DENY,
                        NO_RULE_MATCHED, null),
                new Case("exact rule is not a prefix", List.of("github.com"), none, "github.com.evil.example", 443,
                        DENY, NO_RULE_MATCHED, null),
                new Case("exact rule does not match a subdomain", List.of("github.com"), none, "api.github.com", 443,
                        DENY, NO_RULE_MATCHED, null),
                new Case("deny wins over a matching allow", List.of("*.github.com"), List.of("gist.github.com"),
                        "gist.github.com", 443, DENY, DENIED_BY_RULE, "gist.github.com"),
                new Case("deny does not touch other names", List.of("*.github.com"), List.of("gist.github.com"),
                        "api.github.com", 443, ALLOW, ALLOWED_BY_RULE, "*.github.com"),
                new Case("a bare deny closes every port", List.of("gist.github.com:22"), List.of("gist.github.com"),
                        "gist.github.com", 22, DENY, DENIED_BY_RULE, "gist.github.com"),
                new Case("a host:port deny closes only its port", List.of("example.com"), List.of("example.com:80"),
                        "example.com", 443, ALLOW, ALLOWED_BY_RULE, "example.com"),
                new Case("a host:port deny closes its port", List.of("example.com"), List.of("example.com:80"),
                        "example.com", 80, DENY, DENIED_BY_RULE, "example.com:80"),
                new Case("an empty allow list denies everything", none, none, "github.com", 443, DENY,
                        EMPTY_ALLOW_LIST, null),
                new Case("an empty allow list still reports deny rules first", none, List.of("github.com"),
                        "github.com", 443, DENY, DENIED_BY_RULE, "github.com"),
                new Case("a bare rule allows port 80", List.of("example.com"), none, "example.com", 80, ALLOW,
                        ALLOWED_BY_RULE, "example.com"),
                new Case("a bare rule does not allow port 8443", List.of("example.com"), none, "example.com", 8443,
                        DENY, PORT_NOT_ALLOWED, "example.com"),
                new Case("a bare rule does not allow port 22", List.of("github.com"), none, "github.com", 22, DENY,
                        PORT_NOT_ALLOWED, "github.com"),
                new Case("a host:port rule opens its port", List.of("example.com:8443"), none, "example.com", 8443,
                        ALLOW, ALLOWED_BY_RULE, "example.com:8443"),
                new Case("a host:port rule opens no other port", List.of("example.com:8443"), none, "example.com",
                        443, DENY, NO_RULE_MATCHED, null),
                new Case("a wildcard host:port rule", List.of("*.corp.example:8443"), none, "git.corp.example", 8443,
                        ALLOW, ALLOWED_BY_RULE, "*.corp.example:8443"),
                new Case("an IP literal needs an IP rule", List.of("example.com"), none, "93.184.216.34", 443, DENY,
                        IP_LITERAL_NEEDS_IP_RULE, null),
                new Case("an IPv4 CIDR allows an address inside", List.of("192.0.2.0/24"), none, "192.0.2.7", 443,
                        ALLOW, ALLOWED_BY_RULE, "192.0.2.0/24"),
                new Case("an IPv4 CIDR allows its first address", List.of("192.0.2.0/24"), none, "192.0.2.0", 443,
                        ALLOW, ALLOWED_BY_RULE, "192.0.2.0/24"),
                new Case("an IPv4 CIDR allows its last address", List.of("192.0.2.0/24"), none, "192.0.2.255", 443,
                        ALLOW, ALLOWED_BY_RULE, "192.0.2.0/24"),
                new Case("an IPv4 CIDR stops at its boundary", List.of("192.0.2.0/24"), none, "192.0.3.0", 443, DENY,
                        IP_LITERAL_NEEDS_IP_RULE, null),
                new Case("an IPv4 CIDR stops below its boundary", List.of("192.0.2.0/24"), none, "192.0.1.255", 443,
                        DENY, IP_LITERAL_NEEDS_IP_RULE, null),
                new Case("an odd prefix length is honoured", List.of("10.0.0.0/9"), none, "10.127.255.255", 443,
                        ALLOW, ALLOWED_BY_RULE, "10.0.0.0/9"),
                new Case("an odd prefix length stops at its boundary", List.of("10.0.0.0/9"), none, "10.128.0.0", 443,
                        DENY, IP_LITERAL_NEEDS_IP_RULE, null),
                new Case("a bare IP is a /32", List.of("192.0.2.7"), none, "192.0.2.7", 443, ALLOW, ALLOWED_BY_RULE,
                        "192.0.2.7"),
                new Case("a bare IP is only itself", List.of("192.0.2.7"), none, "192.0.2.8", 443, DENY,
                        IP_LITERAL_NEEDS_IP_RULE, null),
                new Case("an IPv6 CIDR allows an address inside", List.of("2001:db8::/32"), none, "[2001:db8::1]",
                        443, ALLOW, ALLOWED_BY_RULE, "2001:db8::/32"),
                new Case("an IPv6 CIDR allows its last address", List.of("2001:db8::/32"), none,
                        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 443, ALLOW, ALLOWED_BY_RULE, "2001:db8::/32"),
                new Case("an IPv6 CIDR stops at its boundary", List.of("2001:db8::/32"), none, "2001:db9::", 443,
                        DENY, IP_LITERAL_NEEDS_IP_RULE, null),
                new Case("a bracketed IPv6 rule with a port", List.of("[2001:db8::1]:22"), none, "2001:db8::1", 22,
                        ALLOW, ALLOWED_BY_RULE, "[2001:db8::1]:22"),
                new Case("an IPv4 deny covers its IPv4-mapped IPv6 form", List.of("::/0"), List.of("10.0.0.0/8"),
                        "[::ffff:10.0.0.1]", 443, DENY, DENIED_BY_RULE, "10.0.0.0/8"),
                new Case("an IPv4 deny covers its NAT64 form", List.of("::/0"), List.of("10.0.0.0/8"),
                        "64:ff9b::a00:1", 443, DENY, DENIED_BY_RULE, "10.0.0.0/8"),
                new Case("a name never matches an IP rule", List.of("0.0.0.0/0"), none, "example.com", 443, DENY,
                        NO_RULE_MATCHED, null),
                new Case("an IP never matches a name rule", List.of("example.com"), none, "127.0.0.1", 443, DENY,
                        IP_LITERAL_NEEDS_IP_RULE, null),
                new Case("underscores are allowed in names", List.of("_acme.example.com"), none, "_acme.example.com",
                        443, ALLOW, ALLOWED_BY_RULE, "_acme.example.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesByRuleWithReason(Case c) {
        Policy policy = Policies.network(c.allow(), c.deny());
        Decision d = policy.decideHost(HostPort.of(c.host(), c.port()));
        assertThat("verdict", d.verdict(), is(c.verdict()));
        assertThat("reason", d.reason(), is(c.reason()));
        assertThat("rule", d.rule(), is(Optional.ofNullable(c.rule())));
        assertThat("default", d.isDefault(), is(c.rule() == null));
    }
}
