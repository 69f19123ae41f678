package kap.policy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A human's approval of something the policy denied, given from the phone or the CLI: one use, or for a while.
 * Grants sit beside {@code kap.toml}, in a file the sidecar watches; a permanent approval is a line added to
 * kap.toml instead. A grant acts like an allow rule: it never overrides a deny rule (deny always wins), only the
 * fail-closed default.
 *
 * @param id stable identifier, unique in the file
 * @param scope what kind of request it opens
 * @param pattern what it opens, in the syntax of that scope: a network rule ({@code example.com},
 *         {@code example.com:8443}), {@code server/tool-glob} for MCP, or {@code tool command-pattern} for the CLI
 * @param expiresAt when it stops applying
 * @param once whether it applies to one request only
 * @param createdAt when it was given
 * @param by who gave it (a device name, or {@code cli})
 */
public record Grant(String id, Scope scope, String pattern, Instant expiresAt, boolean once, Instant createdAt,
                    String by) {

    /**
     * Validates the grant.
     */
    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(by, "by");
        if (id.isBlank() || pattern.isBlank()) {
            throw new IllegalArgumentException("a grant needs an id and a pattern");
        }
    }

    /**
     * Whether the grant still applies at this time.
     *
     * @param now the time
     * @return {@code true} before it expires
     */
    public boolean activeAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /**
     * The MCP server of an MCP grant.
     *
     * @return server name, or empty for other scopes
     */
    public Optional<String> mcpServer() {
        int slash = pattern.indexOf('/');
        return scope == Scope.MCP && slash > 0 ? Optional.of(pattern.substring(0, slash)) : Optional.empty();
    }

    /** What a grant opens. */
    public enum Scope {
        /** A host (and port) for egress and DNS. */
        NETWORK,
        /** An MCP tool on one server. */
        MCP,
        /** A command of one CLI tool. */
        CLI
    }
}
