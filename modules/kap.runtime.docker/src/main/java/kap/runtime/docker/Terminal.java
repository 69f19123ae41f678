package kap.runtime.docker;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The caller's terminal in raw mode for an interactive session, through {@code stty} on {@code /dev/tty} (Java has no
 * terminal API), restored afterwards.
 */
class Terminal {

    /** No terminal: nothing to switch or restore. */
    static final Terminal NONE = new Terminal();

    private static final File TTY = new File("/dev/tty");

    Optional<int[]> size() {
        return Optional.empty();
    }

    void restore() {
    }

    static Terminal raw() {
        Optional<String> saved = stty("-g");
        if (saved.isEmpty() || stty("raw", "-echo").isEmpty()) {
            return NONE;
        }
        return new Terminal() {
            @Override
            Optional<int[]> size() {
                return stty("size").map(s -> s.strip().split("\\s+")).filter(p -> p.length == 2)
                        .map(p -> new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
            }

            @Override
            void restore() {
                stty(saved.get().strip());
            }
        };
    }

    private static Optional<String> stty(String... args) {
        if (!TTY.exists()) {
            return Optional.empty();
        }
        try {
            List<String> command = new java.util.ArrayList<>(List.of("stty"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
