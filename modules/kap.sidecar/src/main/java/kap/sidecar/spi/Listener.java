package kap.sidecar.spi;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * A running listener.
 */
public interface Listener extends AutoCloseable {

    /**
     * The provider's name.
     *
     * @return name
     */
    String name();

    /**
     * Every address bound, with the real port when port 0 was asked for. A DNS listener has UDP and TCP.
     *
     * @return addresses, at least one
     */
    List<InetSocketAddress> addresses();

    /**
     * Counters and state for the admin status page, such as open tunnels. Values are strings, numbers or booleans.
     *
     * @return status, possibly empty
     */
    default Map<String, Object> status() {
        return Map.of();
    }

    /**
     * Stops accepting, lets work in flight finish for a short while, then closes everything. Must return within
     * the given deadline and must not throw.
     *
     * @param graceMillis how long in-flight work may continue
     */
    void shutdown(long graceMillis);

    /**
     * Same as {@link #shutdown(long)} with no grace.
     */
    @Override
    default void close() {
        shutdown(0);
    }
}
