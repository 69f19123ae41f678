package kap.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What {@code kap init} looks for on the host: programs on PATH and git settings. Every probe is bounded in time and
 * never fails the command.
 */
final class HostTools {

    private static final long TIMEOUT_SECONDS = 5;

    private final Map<String, String> environment;

    HostTools(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * A program on the host's PATH.
     *
     * @param name program name
     * @return its path, or empty
     */
    Optional<Path> onPath(String name) {
        String path = environment.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The custom SSH signing program from {@code git config --global gpg.ssh.program}, when it is not one git knows
     * by itself (ssh-keygen, gpg): such a program (1Password's op-ssh-sign...) does not exist in the capsule, so kap
     * offers to configure signing there.
     *
     * @return the program's file name, or empty
     */
    Optional<String> customSshSigningProgram() {
        return run(List.of("git", "config", "--global", "gpg.ssh.program"))
                .map(s -> s.strip())
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s).getFileName().toString())
                .filter(s -> !List.of("ssh-keygen", "gpg", "gpg2").contains(s));
    }

    /**
     * Runs a host command and returns its standard output if it exits with 0 in time.
     *
     * @param command argv
     * @return output, or empty
     */
    Optional<String> run(List<String> command) {
        if (onPath(command.getFirst()).isEmpty()) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
                            Path.of("/dev/null").toFile())).start();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
