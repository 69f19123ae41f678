package kap.policy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Addresses and paths used where {@code kap.toml} sets none. They differ between a sidecar container, which listens
 * on every interface of the capsule network, and a sidecar on the user's machine, which listens on loopback only.
 *
 * @param egress egress proxy
 * @param dns DNS forwarder
 * @param mcp MCP proxy
 * @param cli CLI proxy
 * @param admin admin listener
 * @param log audit log path
 * @param authDir MCP server registrations and tokens ({@code [mcp] auth_dir})
 */
public record ListenDefaults(Endpoint egress, Endpoint dns, Endpoint mcp, Endpoint cli, Endpoint admin, Path log,
                             Path authDir) {

    /** Where registrations live inside a sidecar container. */
    public static final Path CONTAINER_AUTH_DIR = Path.of("/etc/kap/auth");

    /** Inside a sidecar container: the original's addresses. */
    public static final ListenDefaults CONTAINER = new ListenDefaults(
            Endpoint.parse("0.0.0.0:3128", -1), Endpoint.parse("0.0.0.0:53", -1), Endpoint.parse("0.0.0.0:3129", -1),
            Endpoint.parse("0.0.0.0:3130", -1), Endpoint.parse("127.0.0.1:3131", -1), ObserveConfig.DEFAULT_LOG,
            CONTAINER_AUTH_DIR);

    /**
     * Validates the record.
     */
    public ListenDefaults {
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(mcp, "mcp");
        Objects.requireNonNull(cli, "cli");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(authDir, "authDir");
    }

    /**
     * Defaults with the container's auth directory.
     *
     * @param egress egress proxy
     * @param dns DNS forwarder
     * @param mcp MCP proxy
     * @param cli CLI proxy
     * @param admin admin listener
     * @param log audit log path
     */
    public ListenDefaults(Endpoint egress, Endpoint dns, Endpoint mcp, Endpoint cli, Endpoint admin, Path log) {
        this(egress, dns, mcp, cli, admin, log, CONTAINER_AUTH_DIR);
    }

    /**
     * On the user's machine: loopback only, DNS on an unprivileged port, the log under {@code ~/.kap/log}, and the
     * registrations {@code kap mcp add} writes, under {@code ~/.kap/auth}.
     *
     * @return defaults
     */
    public static ListenDefaults local() {
        String home = System.getProperty("user.home", ".");
        return new ListenDefaults(Endpoint.parse("127.0.0.1:3128", -1), Endpoint.parse("127.0.0.1:3153", -1),
                Endpoint.parse("127.0.0.1:3129", -1), Endpoint.parse("127.0.0.1:3130", -1),
                Endpoint.parse("127.0.0.1:3131", -1), Path.of(home, ".kap", "log", "audit.jsonl"),
                Path.of(home, ".kap", "auth"));
    }
}
