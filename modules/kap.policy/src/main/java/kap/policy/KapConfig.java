package kap.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code kap.toml}, merged with the global file. Immutable; build it with {@link ConfigLoader}.
 *
 * @param sshAgent forward the host SSH agent; default {@code true}
 * @param sshSigning configure SSH commit signing in the capsule; default {@code false}
 * @param env {@code [env]}: explicit values for the sidecar's {@code .env}
 * @param setup {@code [setup]}: post-start installs
 * @param proxy {@code [proxy]}: egress, DNS, admin
 * @param mcp {@code [mcp]}, present only if the table is
 * @param cli {@code [cli]}, present only if the table is
 * @param compose {@code [compose]}, present only if the table is
 * @param sources the files this configuration was read from, project first; empty for the embedded default
 */
public record KapConfig(boolean sshAgent, boolean sshSigning, Map<String, String> env, Setup setup, ProxyConfig proxy,
                        Optional<McpConfig> mcp, Optional<CliConfig> cli, Optional<ComposeConfig> compose,
                        List<Path> sources) {

    /**
     * Copies the collections.
     */
    public KapConfig {
        env = Map.copyOf(env);
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(mcp, "mcp");
        Objects.requireNonNull(cli, "cli");
        Objects.requireNonNull(compose, "compose");
        sources = List.copyOf(sources);
    }
}
