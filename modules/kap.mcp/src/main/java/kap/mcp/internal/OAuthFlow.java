package kap.mcp.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import kap.mcp.AuthRecord;
import kap.mcp.OAuthOptions;
import kap.mcp.RegistrationException;

/**
 * The OAuth 2.1 authorization-code flow of {@code kap mcp add}: discovery ({@link OAuthDiscovery}), a loopback
 * callback bound first, dynamic client registration (RFC 7591) unless a client id is given, PKCE with S256, a random
 * {@code state} checked on return, the RFC 8707 {@code resource} in the authorization and token requests, and the
 * code exchange. The authorization URL is always printed; a browser is opened only when asked and available.
 */
public final class OAuthFlow {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final PrintStream out;

    /**
     * A flow.
     *
     * @param http HTTP client
     * @param out where the URL and progress go (stderr)
     */
    public OAuthFlow(HttpClient http, PrintStream out) {
        this.http = http;
        this.out = out;
    }

    /**
     * Logs in and returns the registration to save (not yet verified with a tools/list).
     *
     * @param upstream the MCP endpoint
     * @param challenge the 401's {@code WWW-Authenticate} header, or empty
     * @param options client and browser options
     * @return the record with tokens
     * @throws IOException if a server cannot be reached
     * @throws RegistrationException if a server refuses or misbehaves
     */
    public AuthRecord login(URI upstream, String challenge, OAuthOptions options) throws IOException {
        OAuthDiscovery.Found as = new OAuthDiscovery(http).discover(upstream, challenge);
        out.println("[auth] authorization server " + as.issuer());
        String state = random();
        try (LoopbackCallback callback = LoopbackCallback.open(state)) {
            String redirect = callback.redirectUri().toString();
            Client client = options.clientId().isPresent()
                    ? new Client(options.clientId().get(), options.clientSecret())
                    : register(as, redirect);
            String verifier = random();
            Map<String, String> q = new LinkedHashMap<>();
            q.put("response_type", "code");
            q.put("client_id", client.id());
            q.put("redirect_uri", redirect);
            q.put("code_challenge", challenge(verifier));
            q.put("code_challenge_method", "S256");
            q.put("state", state);
            q.put("resource", as.resource());
            var scopes = options.scopes().isEmpty() ? as.scopes() : options.scopes();
            if (!scopes.isEmpty()) {
                q.put("scope", String.join(" ", scopes));
            }
            String url = as.authorizationEndpoint() + (as.authorizationEndpoint().getRawQuery() == null ? "?" : "&")
                    + form(q);
            out.println("Open this URL in your browser to authorize:");
            out.println(url);
            out.flush();
            if (options.openBrowser()) {
                openBrowser(url);
            }
            String code = callback.await(options.timeout());
            Map<String, String> f = new LinkedHashMap<>();
            f.put("grant_type", "authorization_code");
            f.put("code", code);
            f.put("redirect_uri", redirect);
            f.put("client_id", client.id());
            f.put("code_verifier", verifier);
            f.put("resource", as.resource());
            client.secret().ifPresent(s -> f.put("client_secret", s));
            TokenResponse t;
            try {
                t = TokenResponse.post(http, as.tokenEndpoint(), f, "token exchange");
            } catch (IOException e) {
                throw new RegistrationException(e.getMessage());
            }
            return new AuthRecord(upstream, client.id(), client.secret(), t.accessToken(), t.refreshToken(),
                    as.tokenEndpoint().toString(), t.expiresAt(), Map.of(), Optional.of(as.resource()),
                    t.scope().map(s -> java.util.List.of(s.split(" "))).orElse(scopes), Optional.of(as.issuer()));
        }
    }

    private record Client(String id, Optional<String> secret) {
    }

    private Client register(OAuthDiscovery.Found as, String redirect) throws IOException {
        URI endpoint = as.registrationEndpoint().orElseThrow(() -> new RegistrationException("the authorization"
                + " server does not support dynamic client registration; register a client there and pass"
                + " --client-id (and --client-secret)"));
        ObjectNode body = Json.object();
        body.put("client_name", "kap");
        body.putArray("redirect_uris").add(redirect);
        body.putArray("grant_types").add("authorization_code").add("refresh_token");
        body.putArray("response_types").add("code");
        body.put("token_endpoint_auth_method", "none");
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(OAuthDiscovery.TIMEOUT)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body))).build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        JsonNode n;
        try {
            n = Json.read(r.body());
        } catch (IOException e) {
            throw new RegistrationException("client registration failed: HTTP " + r.statusCode());
        }
        if (r.statusCode() / 100 != 2 || !n.path("client_id").isTextual()) {
            throw new RegistrationException("client registration failed: HTTP " + r.statusCode() + " "
                    + n.path("error").asText("") + " " + n.path("error_description").asText(""));
        }
        out.println("[auth] registered client " + n.get("client_id").asText());
        return new Client(n.get("client_id").asText(), n.path("client_secret").isTextual()
                ? Optional.of(n.get("client_secret").asText()) : Optional.empty());
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 32 random bytes, base64url without padding: 43 characters, as RFC 7636 recommends for the verifier. */
    static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String form(Map<String, String> q) {
        return q.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private void openBrowser(String url) {
        for (String cmd : new String[] {"xdg-open", "open"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, cmd);
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    try {
                        new ProcessBuilder(p.toString(), url).redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                        return;
                    } catch (IOException e) {
                        out.println("[auth] could not open a browser (" + e.getMessage() + "); open the URL above");
                        return;
                    }
                }
            }
        }
    }
}
