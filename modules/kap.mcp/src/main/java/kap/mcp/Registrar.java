package kap.mcp;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import kap.mcp.internal.McpHandshake;
import kap.mcp.internal.OAuthFlow;

/**
 * Registers MCP servers on the host ({@code kap mcp add}) and lists their tools ({@code kap mcp get}). A
 * registration is verified before it is saved: {@code initialize}, {@code notifications/initialized} and
 * {@code tools/list} must succeed at the URL (or, for header mode, at {@code <url>/mcp}).
 */
public final class Registrar {

    private final AuthStore store;
    private final PrintStream out;
    private final HttpClient http;

    private Registrar(AuthStore store, PrintStream out) {
        this.store = store;
        this.out = out;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A registrar.
     *
     * @param store the auth directory
     * @param out where progress and the authorization URL go (stderr)
     * @return registrar
     */
    public static Registrar create(AuthStore store, PrintStream out) {
        return new Registrar(Objects.requireNonNull(store), Objects.requireNonNull(out));
    }

    /** A saved registration and the tools it lists. */
    public record Registration(AuthRecord auth, List<ToolInfo> tools) {
    }

    /**
     * Header mode: verifies the endpoint with these headers and saves it.
     *
     * @param name server name
     * @param upstream endpoint URL
     * @param headers headers sent upstream (values may hold {@code ${VAR}}, expanded from this environment to verify)
     * @return the registration
     * @throws IOException if the file cannot be written
     * @throws RegistrationException if no candidate URL answers the handshake
     */
    public Registration addWithHeaders(String name, URI upstream, Map<String, String> headers) throws IOException {
        Map<String, String> expanded = new LinkedHashMap<>();
        headers.forEach((k, v) -> expanded.put(k, expand(v)));
        List<String> errors = new ArrayList<>();
        for (URI candidate : candidates(upstream)) {
            try {
                List<ToolInfo> tools = new McpHandshake(http).tools(candidate, expanded);
                out.println("[auth] success: " + tools.size() + " tools at " + candidate);
                AuthRecord auth = AuthRecord.withHeaders(candidate, headers);
                store.write(name, auth);
                return new Registration(auth, tools);
            } catch (IOException e) {
                errors.add(candidate + ": " + e.getMessage());
            }
        }
        throw new RegistrationException("could not verify " + upstream + ". Check the URL and headers ("
                + String.join("; ", errors) + ")");
    }

    /**
     * OAuth 2.1 mode: discovers the authorization server, logs in through the browser, verifies the endpoint with
     * the token and saves it.
     *
     * @param name server name
     * @param upstream endpoint URL
     * @param options client and browser options
     * @return the registration
     * @throws IOException if a server cannot be reached or the file cannot be written
     * @throws RegistrationException if a step of the flow fails
     */
    public Registration addWithOAuth(String name, URI upstream, OAuthOptions options) throws IOException {
        McpHandshake handshake = new McpHandshake(http);
        String challenge;
        try {
            List<ToolInfo> open = handshake.tools(upstream, Map.of());
            out.println("[auth] " + upstream + " needs no authorization (" + open.size() + " tools)");
            AuthRecord auth = AuthRecord.withHeaders(upstream, Map.of());
            store.write(name, auth);
            return new Registration(auth, open);
        } catch (McpHandshake.Unauthorized e) {
            challenge = e.challenge();
        }
        AuthRecord auth = new OAuthFlow(http, out).login(upstream, challenge, options);
        List<ToolInfo> tools;
        try {
            tools = handshake.tools(upstream, Map.of("Authorization", "Bearer " + auth.accessToken()));
        } catch (IOException e) {
            throw new RegistrationException("could not verify " + upstream + ". OAuth succeeded but tools/list failed: "
                    + e.getMessage());
        }
        store.write(name, auth);
        out.println("[auth] tokens saved to " + store.file(name));
        return new Registration(auth, tools);
    }

    /**
     * Lists a registered server's tools with its stored credentials (headers expanded from this environment).
     *
     * @param name server name
     * @return tools
     * @throws IOException if the server cannot be reached
     * @throws RegistrationException if the server is not registered
     */
    public List<ToolInfo> tools(String name) throws IOException {
        AuthRecord auth = store.read(name).orElseThrow(() -> new RegistrationException("no auth registered for '"
                + name + "'. Run `kap mcp add " + name + " <url>`"));
        Map<String, String> headers = new LinkedHashMap<>();
        auth.headers().forEach((k, v) -> headers.put(k, expand(v)));
        if (!auth.accessToken().isEmpty()) {
            headers.put("Authorization", "Bearer " + expand(auth.accessToken()));
        }
        return new McpHandshake(http).tools(auth.upstream(), headers);
    }

    private static List<URI> candidates(URI upstream) {
        String base = upstream.toString().endsWith("/") ? upstream.toString().substring(0,
                upstream.toString().length() - 1) : upstream.toString();
        return base.endsWith("/mcp") ? List.of(URI.create(base)) : List.of(URI.create(base), URI.create(base + "/mcp"));
    }

    private static String expand(String value) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int s = value.indexOf("${", i);
            int e = s < 0 ? -1 : value.indexOf('}', s + 2);
            if (s < 0 || e < 0) {
                b.append(value, i, value.length());
                break;
            }
            String v = System.getenv(value.substring(s + 2, e));
            b.append(value, i, s).append(v == null ? "" : v);
            i = e + 1;
        }
        return b.toString();
    }
}
