package kap.sidecar;

import java.time.Duration;
import java.util.Objects;

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
 */
public record SidecarOptions(ConfigFiles files, Duration reloadInterval, Resolver resolver,
                             AddressClassifier classifier) {

    /**
     * Validates the record.
     */
    public SidecarOptions {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(classifier, "classifier");
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
        return new SidecarOptions(files, reloadInterval, other, classifier);
    }
}
