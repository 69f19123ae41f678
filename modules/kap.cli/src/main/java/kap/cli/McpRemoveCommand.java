package kap.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import kap.mcp.RegistrationException;

/**
 * {@code kap mcp remove NAME}: deletes a registration and its lock file.
 */
@Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete a server's registration.")
final class McpRemoveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    McpCommand.AuthDir authDir;

    @Override
    public Integer call() throws Exception {
        if (!authDir.store().remove(name)) {
            throw new RegistrationException("no auth registered for '" + name + "'");
        }
        System.err.println("Removed " + name);
        return 0;
    }
}
