package kap.runtime.namespace;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code kap run} and the bridge say to each other over the control socket, in order: once the sidecar runs, the
 * host sends the {@link Plan}; the bridge sets the capsule up, starts the command and says {@link Started} (or
 * {@link Failed}); the host may send {@link Signal}s; the bridge ends with {@link Exit}. The host closing the
 * connection means "take the capsule down".
 */
sealed interface ControlMessage {

    /**
     * Everything the bridge needs.
     *
     * @param id the capsule id
     * @param workdir the command's working directory
     * @param command the command and its arguments
     * @param environment the command's environment, {@code NAME=value}
     * @param mounts what to mount
     * @param allowUnixSockets leave Unix sockets to the command
     * @param services the services the sidecar runs, which the bridge listens for
     */
    record Plan(String id, Path workdir, List<String> command, List<String> environment, MountPlan mounts,
                boolean allowUnixSockets, Set<Service> services) implements ControlMessage {
        public Plan {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(workdir, "workdir");
            command = List.copyOf(command);
            environment = List.copyOf(environment);
            Objects.requireNonNull(mounts, "mounts");
            services = Set.copyOf(services);
        }
    }

    /**
     * The command runs.
     *
     * @param pid its process id inside the capsule
     */
    record Started(long pid) implements ControlMessage {
    }

    /**
     * Send this signal to the command.
     *
     * @param number the signal number
     */
    record Signal(int number) implements ControlMessage {
    }

    /**
     * The command ended.
     *
     * @param code its exit code, or 128 + N for signal N
     */
    record Exit(int code) implements ControlMessage {
    }

    /**
     * The capsule could not be set up or the command not started.
     *
     * @param code the exit code to use: 125 (set-up), 126 (cannot execute), 127 (not found)
     * @param message what went wrong, for the user
     */
    record Failed(int code, String message) implements ControlMessage {
        public Failed {
            Objects.requireNonNull(message, "message");
        }
    }
}
