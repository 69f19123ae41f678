package kap.remote;

import java.io.IOException;

/**
 * Accepts an MCP tool's changed definition (the rug-pull guard), as {@code kap mcp approve <server> <tool>} does.
 * The CLI wires kap.mcp's pin store here; the pins live in the auth directory that the host and every sidecar share,
 * so a running sidecar sees the approval within a quarter of a second.
 */
@FunctionalInterface
public interface PinApprover {

    /**
     * Approves the pending definition of a tool.
     *
     * @param server MCP server name
     * @param tool tool name
     * @throws IOException if the pin store cannot be written
     * @throws IllegalArgumentException if no change waits for approval
     */
    void approve(String server, String tool) throws IOException;

    /**
     * An approver for a host without MCP pinning; every approval fails with a clear message.
     *
     * @return approver
     */
    static PinApprover unavailable() {
        return (server, tool) -> {
            throw new IllegalArgumentException("MCP tool pinning is not available in this kap build");
        };
    }
}
