package kap.runtime.namespace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import kap.cli.spi.Capsule;
import kap.cli.spi.CapsuleRegistry;

/**
 * This runtime's records in the {@link CapsuleRegistry}: written while a capsule runs, removed when it ends, and
 * swept when the {@code kap run} that wrote one was killed before it could.
 */
final class Registrar {

    /** The detail that holds the {@code kap run} process id. */
    static final String PID = "pid";

    private final CapsuleRegistry registry;

    Registrar(CapsuleRegistry registry) {
        this.registry = registry;
    }

    void put(Capsule capsule) throws IOException {
        registry.put(capsule);
    }

    void remove(String id) {
        try {
            registry.remove(id);
        } catch (IOException e) {
            // a stale record is swept by the next run
        }
    }

    /**
     * This runtime's records, each with its state as it is now.
     *
     * @return capsules
     * @throws IOException if the registry cannot be read
     */
    List<Capsule> capsules() throws IOException {
        return registry.all().stream().filter(c -> c.runtime().equals(NamespaceRuntimeProvider.NAME))
                .map(c -> alive(c) ? c : c.withState(Capsule.State.GONE)).toList();
    }

    /** Removes the records, and runtime directories, of capsules whose {@code kap run} is gone. */
    void sweep() {
        try {
            for (Capsule c : capsules()) {
                if (c.state() == Capsule.State.GONE) {
                    Optional.ofNullable(c.details().get("runtime_dir")).map(Path::of)
                            .filter(d -> !RuntimeDirs.alive(d)).ifPresent(RuntimeDirs::delete);
                    remove(c.id());
                }
            }
        } catch (IOException e) {
            // an unreadable registry is not this run's problem
        }
    }

    private static boolean alive(Capsule capsule) {
        try {
            long pid = Long.parseLong(capsule.details().getOrDefault(PID, "-1"));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
