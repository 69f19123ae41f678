package kap.policy.spi;

/**
 * Where a rule is written, and therefore which subjects its matcher judges.
 */
public enum MatcherScope {
    /** {@code [proxy.network] allow/deny}: hosts and ports, judged by egress and DNS. */
    NETWORK,
    /** {@code [[mcp.servers]] allow/deny}: MCP tool, resource and prompt names. */
    MCP_NAME,
    /** {@code [[cli.tools]] allow/deny}: command lines of a proxied CLI tool. */
    CLI_COMMAND
}
