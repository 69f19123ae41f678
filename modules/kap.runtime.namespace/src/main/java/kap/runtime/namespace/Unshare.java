package kap.runtime.namespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the capsule's namespaces are made: {@code unshare(1)} from util-linux, under {@code setpriv --pdeathsig KILL}.
 *
 * <p>{@code unshare --user --map-current-user --keep-caps --net --mount --pid --ipc --fork --kill-child --mount-proc}
 * gives the bridge every capability inside new namespaces while it keeps the user's own uid (util-linux 2.38 and
 * later; older ones only map the user to root, which the bridge accepts). {@code --fork --pid} makes the bridge PID 1,
 * so the capsule dies with it; {@code --kill-child} kills the bridge if {@code unshare} dies; {@code setpriv
 * --pdeathsig KILL} kills {@code unshare} if {@code kap} dies, even by SIGKILL. The forking {@code unshare} blocks
 * SIGINT and SIGTERM, so a Ctrl-C for the command does not take the capsule down around it.
 *
 * @param setpriv the setpriv program
 * @param unshare the unshare program
 * @param mapCurrentUser map the user to their own uid (else to root)
 */
record Unshare(Path setpriv, Path unshare, boolean mapCurrentUser) {

    private static final long PROBE_SECONDS = 10;

    /**
     * The namespace flags.
     *
     * @return flags for {@code unshare}
     */
    List<String> flags() {
        List<String> flags = new ArrayList<>(List.of("--user"));
        // mapped to root, the bridge has every capability inside anyway (and --keep-caps is as new as own-uid mapping)
        flags.addAll(mapCurrentUser ? List.of("--map-current-user", "--keep-caps") : List.of("--map-root-user"));
        flags.addAll(List.of("--net", "--mount", "--pid", "--ipc", "--fork", "--kill-child", "--mount-proc"));
        return flags;
    }

    /**
     * The full command line that starts a program in new namespaces.
     *
     * @param program the program and its arguments
     * @return the command line
     */
    List<String> command(List<String> program) {
        List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--",
                unshare.toString()));
        command.addAll(flags());
        command.add("--");
        command.addAll(program);
        return command;
    }

    /**
     * Finds the programs and checks that the kernel lets this user create the namespaces, by creating them once for
     * {@code /bin/true}. Falls back to mapping root if this {@code unshare} cannot map the user to themselves.
     *
     * @param host the machine
     * @return the working configuration
     * @throws UnavailableException naming the cause and the fix
     */
    static Unshare probe(Host host) {
        Path setpriv = host.program("setpriv").orElseThrow(() -> new UnavailableException("setpriv is missing"));
        Path unshare = host.program("unshare").orElseThrow(() -> new UnavailableException("unshare is missing"));
        Unshare own = new Unshare(setpriv, unshare, true);
        String error = own.tryOnce();
        if (error == null) {
            return own;
        }
        if (error.contains("unrecognized option") || error.contains("unknown option")) {
            Unshare root = new Unshare(setpriv, unshare, false);
            String again = root.tryOnce();
            if (again == null) {
                return root;
            }
            error = again;
        }
        throw new UnavailableException(Support.diagnose(host, error));
    }

    /** Creates the namespaces for {@code true}; {@code null} if that worked, else what went wrong. */
    private String tryOnce() {
        List<String> command = new ArrayList<>(List.of(unshare.toString()));
        command.addAll(flags());
        command.addAll(List.of("--", "true"));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().clear();
            builder.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "LC_ALL", "C"));
            Process process = builder.start();
            byte[] output = process.getInputStream().readNBytes(4096);
            if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "unshare did not finish within " + PROBE_SECONDS + " s";
            }
            return process.exitValue() == 0 ? null : new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The namespaces cannot be created here; the message says why and what to do. */
    static final class UnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UnavailableException(String message) {
            super(message);
        }
    }
}
