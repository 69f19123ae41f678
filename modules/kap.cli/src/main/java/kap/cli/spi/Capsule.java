package kap.cli.spi;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One capsule: an agent's sandbox and its sidecar.
 *
 * @param id unique on this host, stable for the capsule's life (for Docker, the compose project name)
 * @param runtime the runtime's name
 * @param project the project's name
 * @param projectDir the project directory on the host
 * @param state the state
 * @param admin the sidecar's admin URL, reachable from the host only
 * @param auditLog the sidecar's audit log, if the host can read it directly
 * @param startedAt when the capsule started
 * @param details runtime-specific facts for {@code kap status} (container names, pid, networks...)
 * @param adminToken the token the sidecar's event stream and approval endpoints require (the sidecar's
 *         {@code --admin-token-file}); the registry file that holds it is 0600
 * @param config the project's kap.toml on the host, the file the sidecar watches; a permanent approval from the
 *         phone adds its line there
 */
public record Capsule(String id, String runtime, String project, Path projectDir, State state, Optional<URI> admin,
                      Optional<Path> auditLog, Instant startedAt, Map<String, String> details,
                      Optional<String> adminToken, Optional<Path> config) {

    /**
     * Validates and copies.
     */
    public Capsule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(projectDir, "projectDir");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(auditLog, "auditLog");
        Objects.requireNonNull(startedAt, "startedAt");
        details = Map.copyOf(details);
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(config, "config");
    }

    /**
     * A capsule without an admin token or a known kap.toml.
     *
     * @param id unique id
     * @param runtime runtime name
     * @param project project name
     * @param projectDir project directory
     * @param state state
     * @param admin admin URL
     * @param auditLog audit log
     * @param startedAt start time
     * @param details runtime facts
     */
    public Capsule(String id, String runtime, String project, Path projectDir, State state, Optional<URI> admin,
                   Optional<Path> auditLog, Instant startedAt, Map<String, String> details) {
        this(id, runtime, project, projectDir, state, admin, auditLog, startedAt, details, Optional.empty(),
                Optional.empty());
    }

    /**
     * A copy in another state.
     *
     * @param other the state
     * @return capsule
     */
    public Capsule withState(State other) {
        return new Capsule(id, runtime, project, projectDir, other, admin, auditLog, startedAt, details, adminToken,
                config);
    }

    /** What a capsule is doing. */
    public enum State {
        /** Being created. */
        STARTING,
        /** Sidecar healthy, capsule running. */
        RUNNING,
        /** Stopped but not removed. */
        STOPPED,
        /** Recorded, but its containers or processes are gone. */
        GONE
    }
}
