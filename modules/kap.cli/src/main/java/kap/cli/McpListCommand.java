package kap.cli;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;

/**
 * {@code kap mcp list}: every registered server.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List registered MCP servers.")
final class McpListCommand implements Callable<Integer> {

    @Mixin
    McpCommand.AuthDir authDir;

    @Override
    public Integer call() throws Exception {
        AuthStore store = authDir.store();
        List<String> names = store.names();
        if (names.isEmpty()) {
            System.out.println("No MCP servers registered.");
            System.out.println("Run `kap mcp add <name> <url>` to add one.");
            return 0;
        }
        for (String name : names) {
            try {
                AuthRecord a = store.read(name).orElseThrow();
                System.out.println("✓ " + name);
                System.out.println("  " + a.upstream() + a.expiresAt().map(t -> ", expires "
                        + McpGetCommand.WHEN.format(t)).orElse(""));
                System.out.println("  auth: " + McpGetCommand.describe(a));
            } catch (IllegalArgumentException e) {
                System.out.println("✗ " + name);
                System.out.println("  unreadable: " + e.getMessage());
            }
        }
        return 0;
    }
}
