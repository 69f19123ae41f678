package kap.cli.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import kap.policy.KapConfig;

/**
 * A runtime that can also describe a capsule as a compose overlay, so that the devcontainer CLI and VS Code bring up
 * the same capsule as {@code kap up}. Implemented by runtimes whose {@link RuntimeProvider#create} result can.
 */
public interface ComposeSupport {

    /**
     * The text of {@code .devcontainer/docker-compose.kap.yml}: the sidecar service, the networks, and what the app
     * service needs (proxy environment, DNS, the sandbox network, read-only {@code .devcontainer/}). Makes sure the
     * sidecar image exists, building it if needed.
     *
     * @param target the project
     * @return YAML text
     * @throws IOException if the runtime cannot be asked or the image cannot be built
     */
    String composeOverlay(ComposeTarget target) throws IOException;

    /**
     * What the overlay is for.
     *
     * @param name the project's name
     * @param projectDir the project directory, absolute and canonical
     * @param config kap.toml as loaded
     * @param service the app service's name in the compose files
     * @param workspaceFolder where the project appears in the app container
     * @param sshAgentSocket the host's SSH agent socket to forward, if any
     */
    record ComposeTarget(String name, Path projectDir, KapConfig config, String service, String workspaceFolder,
                         Optional<Path> sshAgentSocket) {

        /**
         * Validates the record.
         */
        public ComposeTarget {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(projectDir, "projectDir");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(workspaceFolder, "workspaceFolder");
            Objects.requireNonNull(sshAgentSocket, "sshAgentSocket");
        }
    }
}
