package kap.cli.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs a command inside a capsule, as its agent's user ({@link CapsuleRuntime#shell(Capsule)}).
 */
@FunctionalInterface
public interface CapsuleShell {

    /**
     * Runs argv and waits for it; output beyond a few MiB per stream may be dropped.
     *
     * @param argv program and arguments; no shell unless argv starts one
     * @param timeout the command is killed after this
     * @return exit code and output
     * @throws IOException if it cannot be started or timed out
     */
    Result run(List<String> argv, Duration timeout) throws IOException;

    /**
     * What a command did.
     *
     * @param exitCode exit code
     * @param stdout standard output (UTF-8)
     * @param stderr standard error (UTF-8)
     */
    record Result(int exitCode, String stdout, String stderr) {
    }
}
