package kap.policy;

/**
 * The name of an MCP tool, resource or prompt, judged by MCP name globs (case-sensitive).
 *
 * @param name the name exactly as the server or client sent it
 */
public record McpName(String name) implements Subject {

    /**
     * Validates the name.
     *
     * @throws IllegalArgumentException if the name is {@code null}
     */
    public McpName {
        if (name == null) {
            throw new IllegalArgumentException("MCP name is null");
        }
    }
}
