package kap.cli.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import kap.policy.KapConfig;

/**
 * A project as {@code kap up} understands it, read from {@code .devcontainer/} (devcontainer.json, the compose
 * service it names, and kap.toml). Runtimes build the capsule from this alone.
 *
 * @param name the project's name (devcontainer.json {@code name}, else the directory's name)
 * @param projectDir the project directory, absolute and canonical
 * @param configFile {@code .devcontainer/kap.toml}
 * @param config kap.toml as loaded (merged with the global file), for the sidecar image, ports and {@code ssh_agent}
 * @param workspaceFolder where the project appears in the app container
 * @param app where the app container's image comes from
 * @param env environment of the app container (devcontainer.json {@code containerEnv}, compose {@code environment})
 * @param execEnv extra environment for {@code kap exec} sessions (devcontainer.json {@code remoteEnv})
 * @param mounts extra mounts of the app container (compose {@code volumes} other than the workspace)
 * @param command the app container's command, or empty for a keep-alive loop
 * @param user the user {@code kap exec} runs as (devcontainer.json {@code remoteUser}), or empty for the image's
 * @param sshAgentSocket the host's SSH agent socket to forward, present only when {@code ssh_agent = true} and the
 *         socket exists
 */
public record ProjectSpec(String name, Path projectDir, Path configFile, KapConfig config, String workspaceFolder,
                          AppSource app, Map<String, String> env, Map<String, String> execEnv, List<Mount> mounts,
                          Optional<List<String>> command, Optional<String> user, Optional<Path> sshAgentSocket) {

    /**
     * Validates and copies.
     */
    public ProjectSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(projectDir, "projectDir");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(workspaceFolder, "workspaceFolder");
        Objects.requireNonNull(app, "app");
        env = Map.copyOf(env);
        execEnv = Map.copyOf(execEnv);
        mounts = List.copyOf(mounts);
        command = command.map(List::copyOf);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sshAgentSocket, "sshAgentSocket");
    }

    /** Where the app image comes from. */
    public sealed interface AppSource {
    }

    /**
     * An image by reference; it must exist locally or be pullable.
     *
     * @param reference such as {@code mcr.microsoft.com/devcontainers/base:ubuntu}
     */
    public record Image(String reference) implements AppSource {
    }

    /**
     * An image built from a Dockerfile.
     *
     * @param context the build context on the host
     * @param dockerfile the Dockerfile, relative to the context, or empty for {@code Dockerfile}
     * @param target the build stage, or empty for the last
     * @param args build arguments
     */
    public record Build(Path context, Optional<String> dockerfile, Optional<String> target,
                        Map<String, String> args) implements AppSource {

        /**
         * Copies the arguments.
         */
        public Build {
            args = Map.copyOf(args);
        }
    }

    /**
     * A mount of the app container.
     *
     * @param source an absolute host path, or a volume name
     * @param target the path in the container
     * @param readOnly mounted read-only
     */
    public record Mount(String source, String target, boolean readOnly) {
    }
}
