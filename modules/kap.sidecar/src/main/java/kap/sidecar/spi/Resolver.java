package kap.sidecar.spi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves names to addresses for listeners that dial out. The egress proxy resolves once and dials exactly the
 * addresses it vetted, so this is the only place a name becomes an address.
 */
@FunctionalInterface
public interface Resolver {

    /**
     * Resolves a normalised name.
     *
     * @param name the name
     * @return every address, in preference order; never empty
     * @throws UnknownHostException if the name does not resolve
     */
    List<InetAddress> resolve(String name) throws UnknownHostException;

    /**
     * The JVM's resolver (the host's resolver configuration).
     *
     * @return resolver
     */
    static Resolver system() {
        return name -> List.of(InetAddress.getAllByName(name));
    }

    /**
     * The sidecar's own choice: the resolver of the first {@link ResolverProvider} (the DNS forwarder's upstreams),
     * else {@link #system()}. The sidecar replaces this marker when it starts; calling it directly uses the JVM's
     * resolver.
     *
     * @return the marker resolver
     */
    static Resolver configured() {
        return Configured.INSTANCE;
    }

    /** Marker for {@link #configured()}. */
    enum Configured implements Resolver {
        /** The only instance. */
        INSTANCE;

        @Override
        public List<InetAddress> resolve(String name) throws UnknownHostException {
            return List.of(InetAddress.getAllByName(name));
        }
    }
}
