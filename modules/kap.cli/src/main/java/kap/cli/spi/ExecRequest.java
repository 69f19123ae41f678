package kap.cli.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A command to run in a capsule.
 *
 * @param command argv; empty means the container's login shell
 * @param tty allocate a terminal and put the caller's terminal in raw mode
 * @param stdin pass the caller's standard input
 * @param user the user to run as, or empty for the container's user
 * @param workdir the working directory, or empty for the workspace folder
 */
public record ExecRequest(List<String> command, boolean tty, boolean stdin, Optional<String> user,
                          Optional<String> workdir) {

    /**
     * Validates and copies.
     */
    public ExecRequest {
        command = List.copyOf(command);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(workdir, "workdir");
    }
}
