package kap.remote;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where the daemon finds capsules, and how it reaches into one to follow or steer its agent. The CLI builds one from
 * the capsule registry and the runtime providers, so the daemon sees every capsule on the host, whatever its
 * runtime.
 *
 * <p>Implementations are called from several threads at once and must be thread-safe.
 */
public interface CapsuleSource {

    /**
     * The capsules on this host now.
     *
     * @return capsules, possibly empty
     * @throws IOException if they cannot be listed
     */
    List<CapsuleRef> capsules() throws IOException;

    /**
     * A way to run commands where the capsule's agent runs, as the agent's user, for its timeline, cancel and
     * follow-up prompts. Empty if the runtime cannot.
     *
     * @param capsule the capsule
     * @return the shell, or empty
     */
    default Optional<AgentShell> shell(CapsuleRef capsule) {
        return Optional.empty();
    }

    /**
     * Where Claude Code keeps its sessions inside the capsule: directories or shell globs, expanded by the capsule's
     * shell. By default {@code /home/*}{@code /.claude/projects} and {@code /root/.claude/projects}.
     *
     * @param capsule the capsule
     * @return directory patterns, without spaces
     */
    default List<String> sessionRoots(CapsuleRef capsule) {
        return List.of("/home/*/.claude/projects", "/root/.claude/projects");
    }

    /**
     * A fixed list, without shells.
     *
     * @param capsules the capsules
     * @return source
     */
    static CapsuleSource of(List<CapsuleRef> capsules) {
        List<CapsuleRef> copy = List.copyOf(capsules);
        return () -> copy;
    }
}
