package kap.cli;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;
import kap.mcp.Pin;
import kap.mcp.PinStore;
import kap.mcp.Registrar;
import kap.mcp.RegistrationException;
import kap.mcp.ToolInfo;

/**
 * {@code kap mcp get NAME}: the registration and the server's tools with their descriptions.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Show a registered server and list its tools with their descriptions.")
final class McpGetCommand implements Callable<Integer> {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    McpCommand.AuthDir authDir;

    @Override
    public Integer call() throws Exception {
        AuthStore store = authDir.store();
        AuthRecord auth = store.read(name).orElseThrow(() -> new RegistrationException("no auth registered for '"
                + name + "'. Run `kap mcp add " + name + " <url>`"));
        System.out.println("Name:     " + name);
        System.out.println("Upstream: " + auth.upstream());
        System.out.println("Auth:     " + describe(auth));
        System.out.println();
        System.err.print("Fetching tools...");
        List<ToolInfo> tools;
        try {
            tools = Registrar.create(store, System.err).tools(name);
        } catch (java.io.IOException e) {
            System.err.println(" failed: " + e.getMessage());
            return ErrorHandler.FAILURE;
        }
        System.err.println(" " + tools.size() + " tools");
        int width = Math.max(4, tools.stream().mapToInt(t -> t.name().length()).max().orElse(4));
        System.out.println("  " + pad("Tool", width) + "   Description");
        System.out.println("  " + "─".repeat(width + 3 + 40));
        for (ToolInfo t : tools) {
            String d = t.description().replaceAll("\\s+", " ").strip();
            int room = Math.max(20, 80 - width - 5);
            System.out.println("  " + pad(t.name(), width) + "   " + (d.length() > room ? d.substring(0, room - 1)
                    + "…" : d));
        }
        for (Pin p : PinStore.at(store.dir()).pins(name)) {
            if (p.changed()) {
                System.out.println("  ! " + p.tool() + " changed since approval; review, then `kap mcp approve " + name
                        + " " + p.tool() + "`");
            }
        }
        return 0;
    }

    static String describe(AuthRecord auth) {
        return switch (auth.kind()) {
            case "headers" -> "headers (" + String.join(", ", auth.headers().keySet()) + ")";
            case "oauth" -> "OAuth (expires " + auth.expiresAt().map(t -> WHEN.format(t) + " UTC").orElse("never")
                    + ")";
            case "bearer" -> "bearer token";
            default -> "none";
        };
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
