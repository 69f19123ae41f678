package kap.dns;

import java.nio.file.Path;

import kap.policy.AddressClassifier;
import kap.policy.ConfigLoader;
import kap.policy.ListenDefaults;
import kap.policy.Policy;

/**
 * Policies from TOML text, for unit tests that need no sockets.
 */
final class PolicyFixtures {

    private PolicyFixtures() {
    }

    static Policy policy(String toml) {
        return Policy.of(ConfigLoader.parse(toml, Path.of("kap.toml"), ListenDefaults.local()).config(),
                AddressClassifier.create(java.util.Set::of));
    }

    static Policy allowing(String... rules) {
        StringBuilder allow = new StringBuilder();
        for (String r : rules) {
            allow.append(allow.isEmpty() ? "" : ", ").append('"').append(r).append('"');
        }
        return policy("[proxy.network]\nallow = [" + allow + "]\n");
    }
}
