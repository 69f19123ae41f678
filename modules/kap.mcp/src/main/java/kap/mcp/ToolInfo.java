package kap.mcp;

import java.util.Objects;

/**
 * A tool as an MCP server lists it, for {@code kap mcp get}.
 *
 * @param name tool name
 * @param description its description, possibly empty
 */
public record ToolInfo(String name, String description) {

    /**
     * Validates.
     */
    public ToolInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}
