package kap.sidecar.spi;

import kap.policy.LivePolicy;

/**
 * Supplies the resolver that listeners dial with, so that the egress proxy sees names the way the capsule's DNS does:
 * through {@code proxy.dns_upstream}, or the host's resolver configuration when none is set.
 *
 * <p>Found with {@link java.util.ServiceLoader}; the first provider wins. Without one, the sidecar uses the JVM's
 * resolver. Implementations are {@code public final} with a public no-argument constructor.
 */
public interface ResolverProvider {

    /**
     * Creates the resolver. It must read the upstreams from {@link LivePolicy#current()} on each lookup, so that a
     * reload applies.
     *
     * @param policy the live policy
     * @return the resolver
     */
    Resolver create(LivePolicy policy);
}
