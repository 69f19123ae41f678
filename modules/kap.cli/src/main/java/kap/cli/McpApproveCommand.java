package kap.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import kap.mcp.Pin;
import kap.mcp.PinStore;

/**
 * {@code kap mcp approve SERVER TOOL}: accepts a tool definition that changed since it was pinned.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve a tool whose description or input schema changed since it was pinned (the rug-pull"
                + " guard hides it until then).", "Running sidecars see the approval within a second."})
final class McpApproveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SERVER")
    String server;

    @Parameters(index = "1", paramLabel = "TOOL")
    String tool;

    @Mixin
    McpCommand.AuthDir authDir;

    @Override
    public Integer call() throws Exception {
        Pin pin = PinStore.at(authDir.store().dir()).approve(server, tool);
        String hash = pin.sha256().substring(0, Math.min(12, pin.sha256().length()));
        System.err.println("Approved " + server + "/" + tool + " (sha256 " + hash + "…); it is listed and callable"
                + " again.");
        return 0;
    }
}
