package kap.sidecar;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import kap.policy.AddressClassifier;
import kap.policy.ConfigFiles;
import kap.policy.LivePolicy;
import kap.sidecar.spi.Resolver;

/**
 * How to start a sidecar.
 *
 * @param files the configuration files (an empty project means the embedded default policy)
 * @param reloadInterval how often the files are checked for changes
 * @param resolver how listeners resolve names
 * @param classifier address classifier for every policy snapshot
 * @param adminToken the token the admin listener's event stream and approval endpoints require, or empty to refuse
 *         them
 * @param listen listen addresses that replace the configuration's, or empty to use the configuration's
 */
public record SidecarOptions(ConfigFiles files, Duration reloadInterval, Resolver resolver,
                             AddressClassifier classifier, Optional<String> adminToken,
                             Optional<ListenOverride> listen) {

    /** Admin tokens shorter than this are refused: they must not be guessable. */
    public static final int MIN_ADMIN_TOKEN = 32;

    /**
     * Validates the record.
     */
    public SidecarOptions {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(listen, "listen");
        if (adminToken.isPresent() && adminToken.get().strip().length() < MIN_ADMIN_TOKEN) {
            throw new IllegalArgumentException("an admin token needs at least " + MIN_ADMIN_TOKEN + " characters");
        }
        adminToken = adminToken.map(String::strip);
    }

    /**
     * Options that listen where the configuration says.
     *
     * @param files configuration files
     * @param reloadInterval how often the files are checked
     * @param resolver how listeners resolve names
     * @param classifier address classifier
     * @param adminToken the admin token, or empty
     */
    public SidecarOptions(ConfigFiles files, Duration reloadInterval, Resolver resolver, AddressClassifier classifier,
                          Optional<String> adminToken) {
        this(files, reloadInterval, resolver, classifier, adminToken, Optional.empty());
    }

    /**
     * Options without an admin token, listening where the configuration says.
     *
     * @param files configuration files
     * @param reloadInterval how often the files are checked
     * @param resolver how listeners resolve names
     * @param classifier address classifier
     */
    public SidecarOptions(ConfigFiles files, Duration reloadInterval, Resolver resolver, AddressClassifier classifier) {
        this(files, reloadInterval, resolver, classifier, Optional.empty(), Optional.empty());
    }

    /**
     * Options with the defaults: 250 ms reload checks, names resolved through the sidecar's DNS upstreams
     * ({@link Resolver#configured()}), and a classifier that knows this host's addresses.
     *
     * @param files configuration files
     * @return options
     */
    public static SidecarOptions of(ConfigFiles files) {
        return new SidecarOptions(files, LivePolicy.DEFAULT_INTERVAL, Resolver.configured(),
                AddressClassifier.create());
    }

    /**
     * A copy with another resolver.
     *
     * @param other resolver
     * @return options
     */
    public SidecarOptions withResolver(Resolver other) {
        return new SidecarOptions(files, reloadInterval, other, classifier, adminToken, listen);
    }

    /**
     * A copy with an admin token.
     *
     * @param token the token, at least {@link #MIN_ADMIN_TOKEN} characters
     * @return options
     */
    public SidecarOptions withAdminToken(String token) {
        return new SidecarOptions(files, reloadInterval, resolver, classifier, Optional.of(token), listen);
    }

    /**
     * A copy whose listeners bind these addresses whatever the configuration says.
     *
     * @param addresses the addresses
     * @return options
     */
    public SidecarOptions withListen(ListenOverride addresses) {
        return new SidecarOptions(files, reloadInterval, resolver, classifier, adminToken, Optional.of(addresses));
    }
}
