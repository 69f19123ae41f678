package kap.dns;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Type;

import kap.policy.DnsConfig;
import kap.policy.Policy;
import kap.policy.Reasons;

/**
 * The checks a query passes before the name policy: type and class, length limits, single-label and special-use
 * names, and reverse lookups of non-public addresses. Each failure is a {@link Refusal}.
 */
final class NameGuard {

    /** Meta and transfer types that are never forwarded: ANY, AXFR, IXFR, MAILA, MAILB, TSIG, TKEY, OPT, type 0. */
    static final Set<Integer> REFUSED_TYPES = Set.of(0, Type.OPT, Type.TKEY, Type.TSIG, Type.IXFR, Type.AXFR,
            Type.MAILB, Type.MAILA, Type.ANY);

    /**
     * Special-use suffixes that mean nothing to an upstream resolver and would only tell it about the capsule's
     * surroundings: RFC 6761 ({@code localhost}, {@code invalid}), RFC 6762 ({@code local}), RFC 7686
     * ({@code onion}), RFC 8375 ({@code home.arpa}) and RFC 9476 ({@code alt}).
     */
    static final List<String> SPECIAL_USE = List.of("localhost", "local", "invalid", "onion", "home.arpa", "alt");

    private NameGuard() {
    }

    /**
     * Type and class.
     *
     * @param query the query
     * @return a refusal, or empty
     */
    static Optional<Refusal> checkType(Query query) {
        if (query.dclass() != DClass.IN) {
            return Optional.of(refused(Reasons.QUERY_TYPE_REFUSED, "class " + DClass.string(query.dclass())
                    + " is not served"));
        }
        if (REFUSED_TYPES.contains(query.type())) {
            return Optional.of(refused(Reasons.QUERY_TYPE_REFUSED, Type.string(query.type())
                    + " queries are not served"));
        }
        return Optional.empty();
    }

    /**
     * Length limits, single-label and special-use names, and non-public reverse lookups.
     *
     * @param name normalised name
     * @param policy policy in force
     * @param deniedRcode the configured answer to a denied name
     * @return a refusal, or empty
     */
    static Optional<Refusal> checkName(String name, Policy policy, int deniedRcode) {
        DnsConfig dns = policy.config().proxy().dns();
        if (name.length() > dns.maxNameLength() || longestLabel(name) > dns.maxLabelLength()) {
            return Optional.of(refused(Reasons.NAME_TOO_LONG, "name or label longer than allowed"));
        }
        if (name.indexOf('.') < 0) {
            return Optional.of(new Refusal(deniedRcode, Reasons.SINGLE_LABEL_NAME, null, Refusal.EDE_BLOCKED,
                    "kap: single-label names are not forwarded"));
        }
        for (String suffix : SPECIAL_USE) {
            if (isUnder(name, suffix)) {
                return Optional.of(new Refusal(deniedRcode, Reasons.SPECIAL_USE_NAME, null, Refusal.EDE_BLOCKED,
                        "kap: ." + suffix + " names are not forwarded"));
            }
        }
        if (ReverseZones.nonPublic(name, policy)) {
            return Optional.of(refused(Reasons.NON_PUBLIC_REVERSE_LOOKUP, "reverse lookups of non-public "
                    + "addresses are not forwarded"));
        }
        return Optional.empty();
    }

    /**
     * The search domain a name falls under, if any.
     *
     * @param name normalised name
     * @param searchDomains search domains from the host's resolver configuration
     * @return the domain, or empty
     */
    static Optional<String> searchDomain(String name, List<String> searchDomains) {
        for (String domain : searchDomains) {
            if (isUnder(name, domain)) {
                return Optional.of(domain);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code name} is {@code suffix} or below it.
     *
     * @param name a name
     * @param suffix a suffix
     * @return {@code true} if it is
     */
    static boolean isUnder(String name, String suffix) {
        return name.equals(suffix) || (name.endsWith(suffix) && name.length() > suffix.length()
                && name.charAt(name.length() - suffix.length() - 1) == '.');
    }

    private static int longestLabel(String name) {
        int longest = 0;
        int start = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                longest = Math.max(longest, i - start);
                start = i + 1;
            }
        }
        return longest;
    }

    private static Refusal refused(String reason, String text) {
        return new Refusal(Wire.REFUSED, reason, null, Refusal.EDE_BLOCKED, "kap: " + text);
    }
}
