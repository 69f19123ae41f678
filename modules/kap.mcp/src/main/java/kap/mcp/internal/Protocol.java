package kap.mcp.internal;

import java.util.List;

/**
 * The MCP protocol versions kap speaks. A client asking for a newer one in {@code initialize} is offered
 * {@link #LATEST}, as any server that does not speak the requested version does.
 */
final class Protocol {

    static final List<String> SUPPORTED = List.of("2025-06-18", "2025-03-26");
    static final String LATEST = "2025-06-18";
    static final String HEADER = "MCP-Protocol-Version";
    static final String SESSION = "Mcp-Session-Id";

    private Protocol() {
    }
}
