package kap.cli;

import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import kap.mcp.AuthStore;

/**
 * {@code kap mcp}: registers remote MCP servers on the host. Upstream URLs and credentials live in the auth directory
 * ({@code ~/.kap/auth}), which the sidecar mounts; kap.toml only says which tools may be used.
 */
@Command(name = "mcp",
        mixinStandardHelpOptions = true,
        description = "Register MCP servers and their credentials (kept on the host and the sidecar, never in"
                + " the capsule).",
        subcommands = {McpAddCommand.class, McpGetCommand.class, McpListCommand.class, McpRemoveCommand.class,
                McpApproveCommand.class})
final class McpCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The {@code --auth-dir} option every subcommand takes. */
    static final class AuthDir {
        @Option(names = "--auth-dir", paramLabel = "DIR",
                description = "auth directory (default: ~/.kap/auth)")
        Path dir;

        AuthStore store() {
            return AuthStore.at(dir != null ? dir : AuthStore.defaultDir());
        }
    }
}
