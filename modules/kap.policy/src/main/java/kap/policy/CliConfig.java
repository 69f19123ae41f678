package kap.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [cli]}: the CLI proxy. Present only when the table is.
 *
 * @param listen CLI proxy address; default {@code 0.0.0.0:3130}
 * @param tools configured tools, names unique
 */
public record CliConfig(Endpoint listen, List<CliTool> tools) {

    /**
     * Copies the list.
     */
    public CliConfig {
        Objects.requireNonNull(listen, "listen");
        tools = List.copyOf(tools);
    }

    /**
     * The tool of that name.
     *
     * @param name tool name
     * @return the tool, or empty
     */
    public Optional<CliTool> tool(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
