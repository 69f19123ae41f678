package kap.mcp.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import kap.mcp.RegistrationException;

/**
 * Finds where to log in, as the MCP authorization spec says: RFC 9728 protected-resource metadata (from the 401's
 * {@code WWW-Authenticate: Bearer resource_metadata="..."}, else the well-known URL with the resource's path inserted,
 * else at the origin), then RFC 8414 authorization-server metadata for its issuer (path inserted after
 * {@code /.well-known/oauth-authorization-server}, then OpenID Connect discovery). Identifiers are checked: the
 * metadata's {@code resource} must be the server kap asked about and {@code issuer} the issuer it came from.
 */
final class OAuthDiscovery {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final int MAX_BYTES = 256 * 1024;
    private static final Pattern PARAM = Pattern.compile("([A-Za-z_]+)\\s*=\\s*(\"([^\"]*)\"|([^,\\s]+))");

    /** What discovery found. */
    record Found(String resource, String issuer, URI authorizationEndpoint, URI tokenEndpoint,
                 Optional<URI> registrationEndpoint, List<String> scopes) {
    }

    private final HttpClient http;

    OAuthDiscovery(HttpClient http) {
        this.http = http;
    }

    Found discover(URI upstream, String challenge) throws IOException {
        Optional<String> metadataUrl = param(challenge, "resource_metadata");
        List<String> challengeScopes = param(challenge, "scope").map(s -> List.of(s.split(" "))).orElse(List.of());
        JsonNode prm = null;
        List<URI> candidates = new ArrayList<>();
        metadataUrl.map(URI::create).ifPresent(candidates::add);
        String path = trimSlash(upstream.getRawPath());
        candidates.add(origin(upstream).resolve("/.well-known/oauth-protected-resource" + path));
        candidates.add(origin(upstream).resolve("/.well-known/oauth-protected-resource"));
        for (URI u : candidates) {
            prm = getJson(u).orElse(null);
            if (prm != null) {
                break;
            }
        }
        String resource;
        String issuer;
        List<String> scopes = challengeScopes;
        if (prm != null) {
            resource = prm.path("resource").asText("");
            if (!sameResource(resource, upstream)) {
                throw new RegistrationException("the protected-resource metadata names resource \"" + resource
                        + "\", not " + upstream + "; refusing to send credentials for one server to another");
            }
            issuer = prm.path("authorization_servers").path(0).asText("");
            if (issuer.isEmpty()) {
                throw new RegistrationException("the protected-resource metadata lists no authorization server");
            }
            if (scopes.isEmpty()) {
                scopes = strings(prm.path("scopes_supported"));
            }
        } else {
            // servers of the 2025-03-26 revision: the MCP server's origin is the authorization server
            resource = upstream.toString();
            issuer = origin(upstream).toString();
        }
        return authorizationServer(resource, issuer, scopes, prm == null);
    }

    private Found authorizationServer(String resource, String issuer, List<String> scopes, boolean legacy)
            throws IOException {
        URI iss = URI.create(issuer);
        String path = trimSlash(iss.getRawPath());
        List<URI> candidates = List.of(origin(iss).resolve("/.well-known/oauth-authorization-server" + path),
                origin(iss).resolve("/.well-known/openid-configuration" + path),
                URI.create(trimSlash(issuer) + "/.well-known/openid-configuration"));
        for (URI u : candidates) {
            Optional<JsonNode> meta = getJson(u);
            if (meta.isPresent()) {
                return fromMetadata(meta.get(), resource, issuer, scopes);
            }
        }
        if (!legacy) {
            throw new RegistrationException("no authorization server metadata found for " + issuer);
        }
        return new Found(resource, issuer, iss.resolve("/authorize"), iss.resolve("/token"),
                Optional.of(iss.resolve("/register")), scopes);
    }

    private static Found fromMetadata(JsonNode m, String resource, String issuer, List<String> scopes) {
        if (!trimSlash(m.path("issuer").asText("")).equals(trimSlash(issuer))) {
            throw new RegistrationException("the authorization server metadata names issuer \""
                    + m.path("issuer").asText("") + "\", not " + issuer);
        }
        if (!m.path("authorization_endpoint").isTextual() || !m.path("token_endpoint").isTextual()) {
            throw new RegistrationException("the authorization server metadata lacks authorization_endpoint or"
                    + " token_endpoint");
        }
        if (!strings(m.path("code_challenge_methods_supported")).contains("S256")) {
            throw new RegistrationException("the authorization server does not advertise PKCE with S256, which"
                    + " OAuth 2.1 and MCP require");
        }
        List<String> s = scopes.isEmpty() ? strings(m.path("scopes_supported")) : scopes;
        return new Found(resource, issuer, URI.create(m.get("authorization_endpoint").asText()),
                URI.create(m.get("token_endpoint").asText()),
                m.path("registration_endpoint").isTextual() ? Optional.of(URI.create(m.get("registration_endpoint")
                        .asText())) : Optional.empty(), s);
    }

    private Optional<JsonNode> getJson(URI u) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(u).timeout(TIMEOUT).header("Accept", "application/json")
                .header(Protocol.HEADER, Protocol.LATEST).GET().build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || r.body().length > MAX_BYTES) {
                return Optional.empty();
            }
            JsonNode n = Json.read(r.body());
            return n.isObject() ? Optional.of(n) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String> param(String challenge, String name) {
        if (challenge == null) {
            return Optional.empty();
        }
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return Optional.of(m.group(3) != null ? m.group(3) : m.group(4));
            }
        }
        return Optional.empty();
    }

    static boolean sameResource(String resource, URI upstream) {
        return trimSlash(resource).equals(trimSlash(upstream.toString()));
    }

    static URI origin(URI u) {
        return URI.create(u.getScheme() + "://" + u.getRawAuthority());
    }

    private static String trimSlash(String s) {
        return s == null ? "" : s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
