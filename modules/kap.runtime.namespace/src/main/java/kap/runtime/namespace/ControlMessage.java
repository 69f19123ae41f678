package kap.runtime.namespace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code kap run} and the bridge say to each other over the control socket, in order: once the sidecar runs, the
 * host sends the {@link Plan}; the bridge sets the capsule up, starts the command and says {@link Started} (or
 * {@link Failed}); the host may send {@link Signal}s and {@link Exec}s, each answered by an {@link ExecResult}; the
 * bridge ends with {@link Exit}. The host closing the connection means "take the capsule down".
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

    /**
     * Run a command in the capsule, confined like the command, for {@code kap remote}'s agent tab
     * ({@code CapsuleRuntime.shell}). The host's {@code exec.sock} takes the same message from a client, with id 0.
     *
     * @param id the host's number for it, echoed in the {@link ExecResult}
     * @param argv program and arguments, at most {@link #MAX_ARGS} of them and {@link #MAX_ARGV_BYTES} in UTF-8
     * @param timeoutMillis the command is killed after this many milliseconds, at most {@link #MAX_TIMEOUT}
     */
    record Exec(int id, List<String> argv, long timeoutMillis) implements ControlMessage {

        /** Arguments per command; far more than any script the daemon runs. */
        static final int MAX_ARGS = 1024;
        /** The arguments' size; the kernel takes 2 MiB for arguments and environment together. */
        static final int MAX_ARGV_BYTES = 1024 * 1024;
        /** The longest a command may run. */
        static final Duration MAX_TIMEOUT = Duration.ofHours(1);

        public Exec {
            argv = List.copyOf(argv);
            if (argv.isEmpty() || argv.size() > MAX_ARGS) {
                throw new IllegalArgumentException("a command takes 1 to " + MAX_ARGS + " arguments, not "
                        + argv.size());
            }
            long bytes = 0;
            for (String arg : argv) {
                if (arg.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("an argument holds a NUL character");
                }
                bytes += arg.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            if (bytes > MAX_ARGV_BYTES) {
                throw new IllegalArgumentException("the arguments take " + bytes + " bytes; at most "
                        + MAX_ARGV_BYTES);
            }
            if (timeoutMillis < 1 || timeoutMillis > MAX_TIMEOUT.toMillis()) {
                throw new IllegalArgumentException("the timeout must be 1 ms to " + MAX_TIMEOUT.toMinutes()
                        + " minutes, not " + timeoutMillis + " ms");
            }
        }
    }

    /**
     * What an {@link Exec} did. Each stream is cut at {@link #MAX_OUTPUT} bytes; a note on standard error says so.
     *
     * @param id the {@link Exec}'s id
     * @param exitCode the exit code, {@code 128 + N} for signal N, {@code 126}/{@code 127} if it could not be started
     * @param timedOut whether it was killed at its timeout
     * @param stdout standard output
     * @param stderr standard error, and kap's notes
     */
    record ExecResult(int id, int exitCode, boolean timedOut, byte[] stdout, byte[] stderr) implements ControlMessage {

        /** Output kept per stream, as the daemon keeps ({@code AgentShell.MAX_OUTPUT}). */
        static final int MAX_OUTPUT = 4 * 1024 * 1024;
        /** Room for kap's notes on standard error beyond {@link #MAX_OUTPUT}. */
        static final int MAX_NOTES = 4096;

        public ExecResult {
            stdout = stdout.clone();
            stderr = stderr.clone();
            if (stdout.length > MAX_OUTPUT || stderr.length > MAX_OUTPUT + MAX_NOTES) {
                throw new IllegalArgumentException("output of " + stdout.length + " and " + stderr.length
                        + " bytes; at most " + MAX_OUTPUT + " per stream");
            }
        }

        @Override
        public byte[] stdout() {
            return stdout.clone();
        }

        @Override
        public byte[] stderr() {
            return stderr.clone();
        }

        // arrays compare by identity; a result is its contents
        @Override
        public boolean equals(Object o) {
            return o instanceof ExecResult r && r.id == id && r.exitCode == exitCode && r.timedOut == timedOut
                    && Arrays.equals(r.stdout, stdout) && Arrays.equals(r.stderr, stderr);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Integer.hashCode(id) + exitCode) + Arrays.hashCode(stdout);
        }

        @Override
        public String toString() {
            return "ExecResult[id=" + id + ", exitCode=" + exitCode + ", timedOut=" + timedOut + ", stdout="
                    + stdout.length + " bytes, stderr=" + stderr.length + " bytes]";
        }
    }
}
