package kap.policy.spi;

import java.util.OptionalInt;

import kap.policy.Subject;

/**
 * One compiled rule.
 *
 * <p>Matchers are immutable and thread-safe: one instance is shared by every request that a policy snapshot judges.
 */
public interface Matcher {

    /**
     * The rule as the user wrote it; used in decisions and audit events.
     *
     * @return the original pattern, never {@code null}
     */
    String pattern();

    /**
     * The {@link MatcherProvider#type()} that built this matcher.
     *
     * @return provider type, never {@code null}
     */
    String type();

    /**
     * Whether the subject matches this rule. A subject of a kind this matcher does not judge never matches.
     *
     * @param subject the normalised subject, never {@code null}
     * @return {@code true} on a match
     */
    boolean matches(Subject subject);

    /**
     * Whether the subject matches this rule when the rule stands in a deny list. A deny rule may match more broadly
     * than the same rule in an allow list, never less: the CLI pattern {@code auth token} denies
     * {@code auth token --hostname x} but allows only exactly {@code auth token}. Defaults to {@link #matches}.
     *
     * @param subject the normalised subject, never {@code null}
     * @return {@code true} on a match
     */
    default boolean matchesAsDeny(Subject subject) {
        return matches(subject);
    }

    /**
     * The port a network rule names, for {@code host:port} rules.
     *
     * @return the port, or empty when the rule names none (a bare domain, IP or CIDR)
     */
    default OptionalInt port() {
        return OptionalInt.empty();
    }
}
