package kap.policy.spi;

import java.util.function.Function;

/**
 * Builds {@link Matcher}s from rule patterns.
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}, must be {@code public final} with a public
 * no-argument constructor, and must be stateless and thread-safe. For a given pattern, the providers of its
 * {@link #scope()} are asked in ascending {@link #weight()} order; the first that {@link #claims(String) claims} the
 * pattern parses it. A claimed pattern that is malformed is an error, never passed on to the next provider, so that a
 * typo cannot silently turn into a different kind of rule.
 */
public interface MatcherProvider {

    /**
     * A stable identifier, such as {@code "domain"} or {@code "cidr"}.
     *
     * @return the provider type, never {@code null}
     */
    String type();

    /**
     * The scope whose patterns this provider parses.
     *
     * @return scope, never {@code null}
     */
    MatcherScope scope();

    /**
     * Order among the providers of one scope; lower is asked first. Defaults to 100.
     *
     * @return weight
     */
    default int weight() {
        return 100;
    }

    /**
     * Whether the pattern is written in this provider's syntax. Must not throw.
     *
     * @param pattern the trimmed pattern, never {@code null}
     * @return {@code true} if this provider is responsible for the pattern
     */
    boolean claims(String pattern);

    /**
     * Parses a claimed pattern.
     *
     * @param pattern the trimmed pattern, never {@code null}
     * @param others parses a sub-pattern with the other providers of the same scope (used by composite rules such as
     *         {@code host:port}); never {@code null}
     * @return the matcher, never {@code null}
     * @throws IllegalArgumentException with a message naming what is wrong, if the pattern is malformed or ambiguous
     */
    Matcher parse(String pattern, Function<String, Matcher> others);
}
