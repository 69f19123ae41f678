package kap.cli.spi;

import java.io.IOException;
import java.util.List;

/**
 * A runtime's view of its capsules. The commands that create capsules ({@code kap up}, {@code kap run}) are the
 * runtime's own; this interface is what every command that only looks at capsules needs.
 */
public interface CapsuleRuntime {

    /**
     * The provider's name.
     *
     * @return name
     */
    String name();

    /**
     * The capsules of this runtime on this host, with their current state as the runtime sees it (a record in the
     * registry whose containers or processes are gone is {@link Capsule.State#GONE}).
     *
     * @return capsules, possibly empty
     * @throws IOException if the runtime cannot be asked
     */
    List<Capsule> capsules() throws IOException;
}
