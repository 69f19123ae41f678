package kap.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import kap.cli.spi.RunRequest;
import kap.cli.spi.RuntimeProvider;
import kap.policy.ConfigException;

/**
 * {@code kap run [--config FILE] [--workdir DIR] -- CMD [ARGS...]}: runs one command in a new capsule on this
 * machine, with no Docker, through the {@code namespace} runtime, and exits with the command's exit code.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Run a command in a capsule on this machine, without Docker (Linux user and network namespaces).",
                "The command can reach only the sidecar: egress proxy, DNS, MCP and CLI proxies. It exits with the "
                        + "command's exit code; 125 means kap itself failed."},
        footer = {"", "Example: kap run -- bash", "Docs: docs/RUN.md"})
final class RunCommand implements Callable<Integer> {

    /** Exit code when kap, not the command, failed (as {@code docker run}). */
    static final int KAP_FAILED = 125;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "kap.toml to load and watch (default: $KAP_CONFIG, else .devcontainer/kap.toml or kap.toml "
                    + "in the working directory, else the embedded default policy)")
    Path config;

    @Option(names = "--workdir", paramLabel = "DIR", description = "the command's working directory (default: here)")
    Path workdir;

    @Option(names = "--unsafe-allow-unix-sockets",
            description = "let the command open Unix sockets; they can reach services outside the capsule "
                    + "(D-Bus, systemd, a Docker socket) and so bypass it")
    boolean unsafeAllowUnixSockets;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "the command and its arguments, after --")
    List<String> command;

    @Override
    public Integer call() {
        Optional<RuntimeProvider> provider = Runtimes.provider("namespace");
        if (provider.isEmpty()) {
            System.err.println("kap: this build of kap has no namespace runtime (module kap.runtime.namespace), "
                    + "so kap run is not available");
            return KAP_FAILED;
        }
        RuntimeProvider.Availability availability = provider.get().availability();
        if (!availability.available()) {
            System.err.println("kap: kap run cannot start here: " + availability.reason());
            return KAP_FAILED;
        }
        Path dir = (workdir == null ? Path.of("") : workdir).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            System.err.println("kap: the working directory does not exist: " + dir);
            return KAP_FAILED;
        }
        try {
            RunRequest request = new RunRequest(Optional.ofNullable(config).map(p -> p.toAbsolutePath().normalize()),
                    dir, command, unsafeAllowUnixSockets);
            return provider.get().create(Runtimes.context()).run(request);
        } catch (ConfigException e) {
            System.err.println("kap: the configuration cannot be applied:");
            System.err.println(e.getMessage());
            return KAP_FAILED;
        } catch (IOException | RuntimeException e) {
            System.err.println("kap: " + describe(e));
            return KAP_FAILED;
        }
    }

    /** File-system exceptions carry only a path as their message; say what happened to it. */
    static String describe(Exception e) {
        return switch (e) {
            case AccessDeniedException a -> "permission denied: " + a.getFile();
            case NoSuchFileException n -> "no such file or directory: " + n.getFile();
            case FileAlreadyExistsException f -> "already exists: " + f.getFile();
            case FileSystemException f -> f.getFile() + ": " + f.getReason();
            default -> e.getMessage() == null ? e.toString() : e.getMessage();
        };
    }
}
