package kap.policy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds policies from TOML snippets for tests.
 */
public final class Policies {

    /** A classifier that believes this host has no public addresses of its own. */
    public static final AddressClassifier CLASSIFIER = AddressClassifier.create(Set::<InetAddress>of);

    private Policies() {
    }

    /** A policy from a TOML text, with container defaults. */
    public static Policy fromToml(String toml) {
        return Policy.of(ConfigLoader.parse(toml, Path.of("kap.toml"), ListenDefaults.CONTAINER).config(), CLASSIFIER);
    }

    /** A policy with these network allow and deny rules. */
    public static Policy network(List<String> allow, List<String> deny) {
        return fromToml("[proxy.network]\nallow = " + array(allow) + "\ndeny = " + array(deny) + "\n");
    }

    /** A TOML array of strings. */
    public static String array(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
