/**
 * Extension point for rule matchers.
 *
 * <p>A {@link kap.policy.spi.MatcherProvider} turns one rule as written in {@code kap.toml} into a
 * {@link kap.policy.spi.Matcher}. Providers are found with {@link java.util.ServiceLoader} and declared only in
 * {@code module-info.java}.
 */
package kap.policy.spi;
