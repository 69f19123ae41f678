package kap.policy.internal;

/**
 * A value read from TOML, with its dotted key path and where it was written.
 *
 * @param value the value
 * @param key dotted key path such as {@code cli.tools[0].mode}
 * @param origin file and line
 * @param <T> value type
 */
public record Located<T>(T value, String key, Origin origin) {
}
