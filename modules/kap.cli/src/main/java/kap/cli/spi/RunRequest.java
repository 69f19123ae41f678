package kap.cli.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One command to run in a new capsule, in the foreground: {@code kap run [--config FILE] [--workdir DIR] -- CMD}.
 *
 * @param config the project {@code kap.toml}, or empty to let the runtime find one (or use the embedded default)
 * @param workdir the command's working directory and the capsule's project directory; absolute
 * @param command the command and its arguments; at least one element
 * @param unsafeAllowUnixSockets let the command open Unix sockets, which can reach services outside the capsule
 *         (D-Bus, a Docker socket); runtimes that cannot block them ignore it
 */
public record RunRequest(Optional<Path> config, Path workdir, List<String> command, boolean unsafeAllowUnixSockets) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the command is empty or the working directory is relative
     */
    public RunRequest {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(workdir, "workdir");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command given: kap run -- CMD [ARGS...]");
        }
        if (!workdir.isAbsolute()) {
            throw new IllegalArgumentException("the working directory must be absolute: " + workdir);
        }
    }
}
