package kap.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code [[mcp.servers]]} entry. Its upstream URL and credentials live in the auth directory, not here.
 *
 * @param name server name, the first path segment on the MCP listener
 * @param allow tool-name globs allowed; at least one is required
 * @param deny tool-name globs denied; a deny always wins
 * @param headers extra upstream headers; values may hold {@code ${VAR}} from the sidecar environment
 * @param allowResources resource URI globs allowed; empty denies every resource read
 * @param denyResources resource URI globs denied
 * @param allowPrompts prompt-name globs allowed; empty denies every prompt
 * @param denyPrompts prompt-name globs denied
 */
public record McpServer(String name, List<Rule> allow, List<Rule> deny, Map<String, String> headers,
                        List<Rule> allowResources, List<Rule> denyResources, List<Rule> allowPrompts,
                        List<Rule> denyPrompts) {

    /**
     * Copies the collections.
     */
    public McpServer {
        Objects.requireNonNull(name, "name");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        headers = Map.copyOf(headers);
        allowResources = List.copyOf(allowResources);
        denyResources = List.copyOf(denyResources);
        allowPrompts = List.copyOf(allowPrompts);
        denyPrompts = List.copyOf(denyPrompts);
    }
}
