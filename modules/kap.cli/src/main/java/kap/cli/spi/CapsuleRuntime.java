package kap.cli.spi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

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

    /**
     * Runs one command in a new capsule in the foreground and takes the capsule down when the command ends. Standard
     * input, output, error and the terminal belong to the command; signals sent to {@code kap} reach it. A runtime may
     * end the process itself with the exit code once the capsule is down, instead of returning.
     *
     * @param request what to run
     * @return the command's exit code, or {@code 128 + N} if signal N ended it
     * @throws IOException if the capsule cannot be set up
     * @throws UnsupportedOperationException if this runtime has no foreground single-command mode (the default)
     */
    default int run(RunRequest request) throws IOException {
        throw new UnsupportedOperationException("the " + name() + " runtime cannot run a single command");
    }

    /**
     * Runs commands inside one of this runtime's capsules, where its agent runs and as the agent's user, for the
     * remote daemon's agent timelines, cancel and follow-up prompts: {@code docker exec} for Docker; for
     * {@code kap run}, the capsule's bridge starts it, confined like the capsule's command. A command must never run on
     * the host outside the capsule.
     *
     * @param capsule one of this runtime's capsules
     * @return the shell, or empty if this runtime cannot reach into its capsules (the default)
     */
    default Optional<CapsuleShell> shell(Capsule capsule) {
        return Optional.empty();
    }
}
