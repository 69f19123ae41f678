package kap.policy;

import java.util.Objects;

import kap.policy.spi.Matcher;

/**
 * One allow or deny entry, compiled, with where it was written.
 *
 * @param matcher the compiled matcher; its {@link Matcher#pattern()} is the rule as written
 * @param origin {@code file:line} where the rule was written, or {@code "embedded default"}
 */
public record Rule(Matcher matcher, String origin) {

    /**
     * Validates the rule.
     */
    public Rule {
        Objects.requireNonNull(matcher, "matcher");
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * The rule as written.
     *
     * @return pattern
     */
    public String pattern() {
        return matcher.pattern();
    }

    @Override
    public String toString() {
        return pattern();
    }
}
