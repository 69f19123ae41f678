package kap.cli.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A runtime that brings up a project's capsule from its {@code .devcontainer/} files: what {@code kap up},
 * {@code kap exec}, {@code kap down} and {@code kap status} drive. A {@link CapsuleRuntime} whose provider can do this
 * returns an instance of this interface from {@link RuntimeProvider#create}.
 *
 * <p>Implementations must give the sidecar a configuration the capsule cannot write (see docs/ARCHITECTURE.md, "A
 * requirement on every runtime"). Not thread-safe; one command uses one instance.
 */
public interface ProjectRuntime extends CapsuleRuntime {

    /**
     * Creates what is missing and starts the capsule: networks, the sidecar (waiting until it is healthy), the app.
     * Reuses what exists unless {@code reset} is set, in which case it removes the capsule's containers and networks
     * first (never its persistent data). Progress lines go to {@link RuntimeContext#progress()}.
     *
     * @param project the project
     * @param reset recreate instead of reuse
     * @return the running capsule, also recorded in the registry
     * @throws IOException if the runtime fails; the message says what to do
     */
    Capsule up(ProjectSpec project, boolean reset) throws IOException;

    /**
     * The capsule of a project directory, if this runtime has one (running or not).
     *
     * @param projectDir the project directory
     * @return the capsule, or empty
     * @throws IOException if the runtime cannot be asked
     */
    Optional<Capsule> find(Path projectDir) throws IOException;

    /**
     * Removes what {@link #up} created (containers, networks, the shim volume) and the registry record. Persistent
     * data stays: the audit log, auth, pins and grants live in host directories that are never removed here.
     *
     * @param capsule the capsule
     * @throws IOException if something cannot be removed
     */
    void down(Capsule capsule) throws IOException;

    /**
     * Runs a command in the capsule's app container, with the caller's standard streams.
     *
     * @param capsule the capsule
     * @param request what to run and how
     * @return the command's exit code
     * @throws IOException if it cannot be started
     */
    int exec(Capsule capsule, ExecRequest request) throws IOException;

    /**
     * Runs the isolation probes inside the capsule: each tries a way out that must be closed (a direct connection, an
     * outside DNS server, IPv6, the metadata address) and passes when it fails.
     *
     * @param capsule the capsule
     * @return one result per probe, in a stable order
     * @throws IOException if the probes cannot be run at all
     */
    List<ProbeResult> probe(Capsule capsule) throws IOException;
}
