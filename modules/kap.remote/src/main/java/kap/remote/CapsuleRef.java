package kap.remote;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A capsule as the remote daemon sees it: what the runtime recorded for it on this host.
 *
 * @param id unique on this host
 * @param runtime the runtime's name ({@code docker}, {@code namespace}...)
 * @param project the project's name
 * @param projectDir the project directory on the host
 * @param state the runtime's state, lower case ({@code running}, {@code stopped}...)
 * @param admin the sidecar's admin URL on host loopback, if it has one
 * @param adminToken the token the sidecar's event stream and approval endpoints need, if known
 * @param config the project's kap.toml on the host, where a permanent approval adds its line, if known
 * @param startedAt when it started
 * @param details runtime facts shown on the phone's status tab
 */
public record CapsuleRef(String id, String runtime, String project, Path projectDir, String state,
                         Optional<URI> admin, Optional<String> adminToken, Optional<Path> config, Instant startedAt,
                         Map<String, String> details) {

    /**
     * Validates and copies.
     */
    public CapsuleRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(projectDir, "projectDir");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(startedAt, "startedAt");
        details = Map.copyOf(details);
    }

    /**
     * Whether the runtime says it is running.
     *
     * @return {@code true} if running
     */
    public boolean running() {
        return "running".equals(state);
    }
}
