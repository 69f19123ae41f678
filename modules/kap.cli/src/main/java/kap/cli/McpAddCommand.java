package kap.cli;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import kap.mcp.AuthRecord;
import kap.mcp.AuthStore;
import kap.mcp.OAuthOptions;
import kap.mcp.Registrar;

/**
 * {@code kap mcp add NAME URL}: verifies and saves a server, with static headers or through an OAuth 2.1 login.
 */
@Command(name = "add",
        mixinStandardHelpOptions = true,
        description = {"Register an MCP server: with --header, verify it with those headers; without, log in with"
                + " OAuth 2.1 (discovery, dynamic client registration or --client-id, PKCE, loopback callback).",
                "Writes <auth-dir>/NAME.json with mode 0600."})
final class McpAddCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "server name, as in kap.toml [[mcp.servers]]")
    String name;

    @Parameters(index = "1", paramLabel = "URL", description = "the server's MCP endpoint (Streamable HTTP)")
    URI url;

    @Option(names = "--header", paramLabel = "KEY=VALUE",
            description = "header sent upstream (repeatable); values may use ${VAR} from the sidecar's environment")
    List<String> headers = new ArrayList<>();

    @Option(names = "--reauth", description = "replace an existing registration")
    boolean reauth;

    @Option(names = "--client-id", paramLabel = "ID", description = "pre-registered OAuth client id (skips"
            + " dynamic client registration)")
    String clientId;

    @Option(names = "--client-secret", paramLabel = "SECRET", description = "its secret, for confidential clients")
    String clientSecret;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "OAuth scope to ask for (repeatable; default:"
            + " what the server advertises)")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--no-browser", description = "only print the authorization URL; do not open a browser")
    boolean noBrowser;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "how long to wait for the browser login (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Mixin
    McpCommand.AuthDir authDir;

    @Override
    public Integer call() throws Exception {
        AuthStore store = authDir.store();
        Optional<AuthRecord> existing = store.read(name);
        if (existing.isPresent() && !reauth) {
            System.err.println("Already registered: " + name + " (" + existing.get().upstream() + ")");
            System.err.println("Use --reauth to re-register.");
            return 0;
        }
        Registrar registrar = Registrar.create(store, System.err);
        Registrar.Registration r;
        if (!headers.isEmpty()) {
            r = registrar.addWithHeaders(name, url, parseHeaders());
            System.err.println("[auth] saved to " + store.file(name));
        } else {
            r = registrar.addWithOAuth(name, url, new OAuthOptions(Optional.ofNullable(clientId),
                    Optional.ofNullable(clientSecret), scopes, !noBrowser, Duration.ofSeconds(timeoutSeconds)));
        }
        System.err.println("Registered " + name + " (" + r.tools().size() + " tools at " + r.auth().upstream() + ").");
        System.err.println("To allow its tools, add to .devcontainer/kap.toml:");
        System.err.println("  [[mcp.servers]]");
        System.err.println("  name = \"" + name + "\"");
        System.err.println("  allow = [\"*\"]");
        return 0;
    }

    private Map<String, String> parseHeaders() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : headers) {
            int eq = h.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("invalid header format: \"" + h + "\" (expected KEY=VALUE)");
            }
            out.put(h.substring(0, eq).trim(), h.substring(eq + 1));
        }
        return out;
    }
}
