package kap.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [mcp]}: the MCP proxy. Present only when the table is.
 *
 * @param listen MCP proxy address; default {@code 0.0.0.0:3129}
 * @param authDir directory of server registrations and tokens; default {@code /etc/kap/auth}
 * @param servers configured servers, names unique
 */
public record McpConfig(Endpoint listen, Path authDir, List<McpServer> servers) {

    /**
     * Copies the list.
     */
    public McpConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(authDir, "authDir");
        servers = List.copyOf(servers);
    }

    /**
     * The server of that name.
     *
     * @param name server name
     * @return the server, or empty
     */
    public Optional<McpServer> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
