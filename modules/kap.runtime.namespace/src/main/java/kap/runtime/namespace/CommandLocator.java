package kap.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the program to run the way a shell does: a name with a slash is a path (relative to the working
 * directory), any other name is looked up in the command's own {@code PATH}, not the bridge's.
 */
final class CommandLocator {

    /** Exit code when the command exists but cannot be executed (as a shell). */
    static final int NOT_EXECUTABLE = 126;
    /** Exit code when the command does not exist (as a shell). */
    static final int NOT_FOUND = 127;

    private CommandLocator() {
    }

    /**
     * Resolves a command name.
     *
     * @param name the first word of the command
     * @param workdir the command's working directory
     * @param path the command's {@code PATH}, or empty
     * @return the program
     * @throws CommandException with exit code 126 or 127 when there is none to run
     */
    static Path locate(String name, Path workdir, Optional<String> path) {
        if (name.isEmpty()) {
            throw new CommandException(NOT_FOUND, "'': command not found");
        }
        if (name.indexOf('/') >= 0) {
            Path program = workdir.resolve(name);
            if (!Files.exists(program)) {
                throw new CommandException(NOT_FOUND, name + ": No such file or directory");
            }
            if (Files.isDirectory(program) || !Files.isExecutable(program)) {
                throw new CommandException(NOT_EXECUTABLE, name + ": Permission denied");
            }
            return program;
        }
        Path denied = null;
        for (String entry : path.orElse("/usr/local/bin:/usr/bin:/bin").split(":", -1)) {
            Path program = (entry.isEmpty() ? workdir : workdir.resolve(entry)).resolve(name);
            if (Files.isRegularFile(program)) {
                if (Files.isExecutable(program)) {
                    return program;
                }
                denied = denied == null ? program : denied;
            }
        }
        if (denied != null) {
            throw new CommandException(NOT_EXECUTABLE, denied + ": Permission denied");
        }
        throw new CommandException(NOT_FOUND, name + ": command not found");
    }

    /** There is nothing to run; the exit code says why. */
    static final class CommandException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final int exitCode;

        CommandException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
