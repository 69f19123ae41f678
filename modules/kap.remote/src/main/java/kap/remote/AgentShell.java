package kap.remote;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs a command inside a capsule, where its agent runs and as the agent's user: {@code docker exec} for a Docker
 * capsule; for a {@code kap run} one, the capsule's bridge starts it, confined like the capsule's command. Commands
 * never run on the host outside the capsule: a follow-up prompt started there would escape the sandbox.
 */
@FunctionalInterface
public interface AgentShell {

    /** Output kept per stream; the rest is dropped. */
    int MAX_OUTPUT = 4 * 1024 * 1024;

    /**
     * Runs argv (no shell unless argv starts one) and waits for it.
     *
     * @param argv program and arguments
     * @param timeout the command is killed after this
     * @return exit code and output, each stream cut at {@link #MAX_OUTPUT}
     * @throws IOException if it cannot be started, or timed out
     */
    ShellResult run(List<String> argv, Duration timeout) throws IOException;

    /**
     * What a command did.
     *
     * @param exitCode exit code
     * @param stdout standard output (UTF-8)
     * @param stderr standard error (UTF-8)
     */
    record ShellResult(int exitCode, String stdout, String stderr) {
    }
}
